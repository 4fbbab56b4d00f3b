package org.qarnotmcp.storage;

import java.net.URI;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The process's one S3 client and presigner for Qarnot storage. Neither holds a credential: each request carries
 * the caller's own ({@link #as}), so no client, connection pool or endpoint is ever made per user, and the key
 * never appears in an endpoint URI. Built on the first storage call, once the endpoint is known.
 */
final class StorageClient implements AutoCloseable {

    /** The client-wide provider: a request without the caller's credentials fails instead of using the host's. */
    private static final AwsCredentialsProvider NONE = () -> {
        throw new IllegalStateException("A storage request was sent without the caller's credentials");
    };

    private final S3Client s3;
    private final S3Presigner presigner;
    private final URI endpoint;

    StorageClient(URI endpoint, StorageSettings settings, StorageTiming timing) {
        this.endpoint = endpoint;
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        Region region = Region.of(settings.region());
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(NONE)
                .serviceConfiguration(s3Config)
                // Ceph RGW refuses the SDK's default CRC checksums with a bare 400 (Qarnot's SDKs pin the same).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Bulk deletes carry Content-MD5, as RGW expects, rather than the SDK's newer CRC32 header.
                .addPlugin(LegacyMd5Plugin.create())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.readTimeout())
                        .maxConnections(256))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(settings.maxAttempts()))
                        .apiCallAttemptTimeout(settings.readTimeout())
                        .addExecutionInterceptor(timing)
                        .build())
                .build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(NONE)
                .serviceConfiguration(s3Config)
                .build();
    }

    S3Client s3() {
        return s3;
    }

    S3Presigner presigner() {
        return presigner;
    }

    URI endpoint() {
        return endpoint;
    }

    /** The caller's credentials for one request: access key = account email, secret = the caller's API key. */
    static AwsRequestOverrideConfiguration as(String email, QarnotKey key) {
        if (email == null || key == null) {
            throw new ToolException("No caller credential for the storage request.");
        }
        return AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(email, key.reveal())))
                .build();
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }
}
