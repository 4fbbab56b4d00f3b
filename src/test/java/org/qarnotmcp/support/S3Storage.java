package org.qarnotmcp.support;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for the storage tests: S3Proxy (target/s3proxy/s3proxy.jar, copied by the build) in its own JVM
 * on a free loopback port, on a temporary directory, checking SigV4 signatures against one identity (the account
 * email) and credential (the Qarnot key): a request signed with any other key is refused. One per test JVM,
 * started on first use and stopped when the JVM exits; {@link #clear()} empties it between tests.
 */
public final class S3Storage {

    public static final String EMAIL = "ada@example.com";
    /** The Qarnot key the storage accepts: a canary, so tests can check it shows up nowhere. */
    public static final String KEY = "qk-storage-CANARY-5e1f0b27c9";

    private static S3Storage shared;
    /** S3Proxy's output, kept after the run for a failing test's reader. */
    private static final Path LOG = Path.of("target/s3proxy/s3proxy.log");

    private final Process process;
    private final Path dir;
    private final URI endpoint;
    private final S3Client admin;

    private S3Storage(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
        this.admin = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(EMAIL, KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public static synchronized S3Storage shared() throws Exception {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** {@link #shared()} for a static field initialiser. */
    public static S3Storage sharedUnchecked() {
        try {
            return shared();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy could not be started", e);
        }
    }

    private static S3Storage start() throws Exception {
        Path jar = Path.of(System.getProperty("project.basedir", ".")).resolve("target/s3proxy/s3proxy.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (it copies S3Proxy there)");
        }
        Path dir = Files.createTempDirectory("s3proxy");
        Files.createDirectories(dir.resolve("data"));
        int port = AvailablePortFinder.getNextAvailable();
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + EMAIL,
                "s3proxy.credential=" + KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString(), "--properties", conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(LOG.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(LOG));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new S3Storage(process, dir, URI.create("http://127.0.0.1:" + port));
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 90 s");
    }

    public URI endpoint() {
        return endpoint;
    }

    public String url() {
        return endpoint.toString();
    }

    /** An S3 client with the right credentials, to seed and check the storage behind the tools' back. */
    public S3Client admin() {
        return admin;
    }

    /** Deletes every bucket and file. */
    public void clear() {
        for (var bucket : admin.listBuckets().buckets()) {
            List<S3Object> objects = admin.listObjectsV2Paginator(r -> r.bucket(bucket.name())).contents().stream().toList();
            for (S3Object o : objects) {
                admin.deleteObject(r -> r.bucket(bucket.name()).key(o.key()));
            }
            admin.deleteBucket(r -> r.bucket(bucket.name()));
        }
    }

    /** S3Proxy's own output (it logs requests at its default level). */
    public String log() throws IOException {
        return Files.readString(LOG);
    }

    private void stop() {
        admin.close();
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }
}
