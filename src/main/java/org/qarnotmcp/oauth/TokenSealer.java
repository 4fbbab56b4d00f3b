package org.qarnotmcp.oauth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens every token this server issues (client ids, form tokens, codes, access and refresh tokens) as JWE
 * (direct encryption, A256GCM) with a key derived from {@code MCP_TOKEN_SECRET} by HKDF-SHA256. Nothing is stored:
 * every replica with the same secret opens the same tokens, and a token sealed with another secret, altered, expired,
 * or of another type does not open.
 */
public final class TokenSealer {

    public static final int MIN_SECRET_LENGTH = 32;

    private final DirectEncrypter encrypter;
    private final DirectDecrypter decrypter;

    public TokenSealer(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("MCP_TOKEN_SECRET must be set to at least " + MIN_SECRET_LENGTH
                    + " random characters when MCP_AUTH=oauth (for example: openssl rand -base64 48).");
        }
        byte[] key = hkdf(secret.getBytes(StandardCharsets.UTF_8), "qarnot-mcp", "token-encryption-v1", 32);
        try {
            this.encrypter = new DirectEncrypter(key);
            this.decrypter = new DirectDecrypter(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seals claims as a token of the given type that expires after ttl. */
    public String seal(String type, Map<String, Object> claims, Duration ttl) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .claim("typ", type)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        claims.forEach(builder::claim);
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), builder.build());
        try {
            jwt.encrypt(encrypter);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Opens a token of the given type; throws {@link InvalidToken} if it is not one of ours, of that type, unexpired. */
    public JWTClaimsSet open(String token, String type) {
        if (token == null || token.isBlank() || token.length() > 16_384) {
            throw new InvalidToken("missing");
        }
        JWTClaimsSet claims;
        try {
            EncryptedJWT jwt = EncryptedJWT.parse(token);
            jwt.decrypt(decrypter);
            claims = jwt.getJWTClaimsSet();
        } catch (Exception e) {
            throw new InvalidToken("not issued by this server");
        }
        if (!type.equals(claims.getClaim("typ"))) {
            throw new InvalidToken("not a " + type + " token");
        }
        Date expiry = claims.getExpirationTime();
        if (expiry == null || expiry.toInstant().isBefore(Instant.now())) {
            throw new InvalidToken("expired");
        }
        return claims;
    }

    /** A token that does not open; its message is safe to show (it never contains the token). */
    public static final class InvalidToken extends RuntimeException {
        public InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    /** HKDF-SHA256 (RFC 5869) over the JDK's HMAC. */
    static byte[] hkdf(byte[] secret, String salt, String info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = mac.doFinal(secret);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            for (int i = 1, done = 0; done < length; i++) {
                mac.update(block);
                mac.update(info.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
