package berth.image.registry;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sends a blob into an upload session that the registry opened at {@code location}: a blob smaller than
 * the chunk size in one {@code PUT <location>?digest=}, a larger one as {@code PATCH}es of chunk-size pieces
 * (each with its Content-Range, each to the Location the previous answer named) closed by an empty
 * {@code PUT ?digest=}.
 */
final class BlobUploader {
    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistryHttp http;
    private final int chunkSize;

    BlobUploader(RegistryHttp http, int chunkSize) {
        if (chunkSize <= 0) throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        this.http = http;
        this.chunkSize = chunkSize;
    }

    void upload(Call call, URI location, Descriptor desc, Supplier<InputStream> content) {
        HttpResponse<InputStream> done;
        if (desc.size() >= 0 && desc.size() < chunkSize) {
            BodyPublisher body = BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(content), desc.size());
            done = put(call, location, desc.digest(), body);
        } else {
            done = put(call, patchChunks(call, location, desc, content), desc.digest(), BodyPublishers.noBody());
        }
        RegistryHttp.drain(done);
        RegistryClient.checkDigestHeader(call, done, desc.digest());
    }

    /** PATCHes the content in chunks; returns the Location to close the upload at. */
    private URI patchChunks(Call call, URI location, Descriptor desc, Supplier<InputStream> content) {
        byte[] buf = new byte[desc.size() < 0 ? chunkSize : (int) Math.min(chunkSize, Math.max(desc.size(), 1))];
        long offset = 0;
        try (InputStream in = content.get()) {
            while (true) {
                int n = in.readNBytes(buf, 0, buf.length);
                if (n == 0) break;
                HttpResponse<InputStream> r = http.send(call, "PATCH", location, Map.of(
                        "Content-Type", OCTET_STREAM,
                        "Content-Range", offset + "-" + (offset + n - 1)),
                        BodyPublishers.ofByteArray(buf, 0, n), Set.of(202));
                RegistryHttp.drain(r);
                location = RegistryHttp.location(call, r);
                offset += n;
                if (n < buf.length) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(call.what() + ": read content", e);
        }
        if (desc.size() >= 0 && offset != desc.size()) {
            throw new ImageException(call.what() + ": content has " + offset + " bytes, descriptor says " + desc.size());
        }
        return location;
    }

    private HttpResponse<InputStream> put(Call call, URI location, Digest digest, BodyPublisher body) {
        return http.send(call, "PUT", withDigest(location, digest), Map.of("Content-Type", OCTET_STREAM), body, Set.of(201));
    }

    /** The upload location with {@code digest=} added to whatever query it carries. */
    static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        String param = "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8);
        int hash = s.indexOf('#');
        if (hash >= 0) s = s.substring(0, hash);
        return URI.create(s + (location.getRawQuery() == null ? "?" : "&") + param);
    }
}
