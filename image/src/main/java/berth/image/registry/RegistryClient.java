package berth.image.registry;

import berth.image.Descriptor;
import berth.image.Digest;
import berth.image.ImageException;
import berth.image.ImageJson;
import berth.image.MediaTypes;
import berth.image.Reference;
import berth.image.content.ContentStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution API (Docker Registry HTTP API v2). Every method names what it did in its
 * errors, as one line: {@code pull 127.0.0.1:5000/x:y: manifest unknown (MANIFEST_UNKNOWN)}; a 404 is an
 * {@link ImageException.NotFound}, a refusal after authenticating an {@link UnauthorizedException}. Digests
 * are verified: a manifest against its digest before it is returned, a blob at the end of its stream.
 * Safe for concurrent use.
 */
public final class RegistryClient {
    /** Blobs below this size are uploaded in one PUT, larger ones in PATCH chunks of this size. */
    public static final int DEFAULT_CHUNK_SIZE = 16 << 20;
    /** The distribution registry's own limit for a manifest. */
    static final int MAX_MANIFEST = 4 << 20;
    private static final Set<Integer> OK = Set.of(200);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-\\d+/(\\d+|\\*)");

    private final HttpClient httpClient;
    private final RegistryHosts hosts;
    private final RegistryHttp http;
    private final BlobUploader uploader;

    public RegistryClient(HttpClient http, CredentialStore credentials, RegistryHosts hosts) {
        this(http, credentials, hosts, DEFAULT_CHUNK_SIZE);
    }

    /** @param chunkSize blobs of at least this many bytes are uploaded in chunks of this size */
    public RegistryClient(HttpClient http, CredentialStore credentials, RegistryHosts hosts, int chunkSize) {
        this(http, credentials::get, hosts, chunkSize);
    }

    /**
     * @param credentials the credentials for a registry host, if any (the daemon takes them from the client's
     *                    {@code X-Registry-Auth} header instead of a config file)
     */
    public RegistryClient(HttpClient http, java.util.function.Function<String, java.util.Optional<Credentials>> credentials,
                          RegistryHosts hosts, int chunkSize) {
        this.httpClient = http;
        this.hosts = hosts;
        this.http = new RegistryHttp(http, new Authenticator(http, hosts, credentials, InstantSource.system()));
        this.uploader = new BlobUploader(this.http, chunkSize);
    }

    /** An HttpClient fit for registries: no automatic redirects (they are followed by hand), a connect timeout. */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Resolves a tag or digest to the manifest (or index) it names: GET /v2/&lt;name&gt;/manifests/&lt;ref&gt;. */
    public Resolved resolve(Reference ref) {
        Call call = pull("pull " + ref, ref);
        HttpResponse<InputStream> r = http.send(call, "GET", manifestUri(ref),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), BodyPublishers.noBody(), OK);
        byte[] body = readManifest(call, r);
        Digest digest = Digest.of(body);
        checkDigestHeader(call, r, digest);
        if (ref.digest() != null && !ref.digest().equals(digest)) {
            throw new ImageException(call.what() + ": the registry sent a manifest with digest " + digest);
        }
        return new Resolved(ref, new Descriptor(mediaType(r, body), digest, body.length), body);
    }

    /** The manifest (or index) with the given digest in repository {@code repo}, verified. */
    public byte[] fetchManifest(Reference repo, Digest digest) {
        return resolve(repo.withDigest(digest)).manifest();
    }

    /**
     * Starts downloading a blob, from {@code offset} if the registry honours a Range ({@link BlobStream#offset()}
     * says whether it did). A download from 0 is verified: reading its end throws if the digest differs.
     */
    public BlobStream fetchBlob(Reference repo, Digest digest, long offset) {
        return fetchBlob(repo, digest, offset, true);
    }

    /**
     * As {@link #fetchBlob(Reference, Digest, long)}; {@code verify} false skips the digest check for callers
     * that verify the bytes themselves (a content store writer does), so they are hashed once, not twice.
     */
    public BlobStream fetchBlob(Reference repo, Digest digest, long offset, boolean verify) {
        Call call = pull("pull " + repo.name() + "@" + digest, repo);
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = http.send(call, "GET", blobUri(repo, digest), headers, BodyPublishers.noBody(),
                offset > 0 ? Set.of(200, 206, 416) : OK);
        if (r.statusCode() == 416) {
            // The offset is not inside the blob (a partial download that is already whole, or longer): start over.
            RegistryHttp.drain(r);
            return fetchBlob(repo, digest, 0, verify);
        }
        long start = 0;
        if (r.statusCode() == 206) {
            start = rangeStart(r);
            if (start != offset) {
                RegistryHttp.drain(r);
                throw new ImageException(call.what() + ": asked for bytes from " + offset + ", the registry sent from " + start);
            }
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        InputStream body = verify && start == 0 ? new VerifyingInputStream(r.body(), digest, call.what()) : r.body();
        return new BlobStream(body, start, length);
    }

    /**
     * Downloads a blob into the content store, resuming a partial download left in its ingest. Nothing is
     * fetched if the store has the blob; the store verifies size and digest before the blob becomes visible.
     */
    public Digest pullBlob(Reference repo, Descriptor desc, ContentStore store) {
        Digest digest = desc.digest();
        if (store.exists(digest)) return digest;
        try (ContentStore.Writer w = store.writer("pull-" + digest.hex(), digest, desc.size())) {
            if (desc.size() < 0 || w.offset() < desc.size()) {
                try (BlobStream s = fetchBlob(repo, digest, w.offset(), false)) {
                    if (s.offset() != w.offset()) w.truncate();
                    s.body().transferTo(w.stream());
                } catch (IOException e) {
                    throw new ImageException("pull " + repo.name() + "@" + digest + ": " + RegistryHttp.reason(e), e);
                }
            }
            return w.commit();
        }
    }

    /** Whether repository {@code repo} has the blob (HEAD). */
    public boolean blobExists(Reference repo, Digest digest) {
        return exists(pull("check " + repo.name() + "@" + digest, repo), repo, digest);
    }

    private boolean exists(Call call, Reference repo, Digest digest) {
        HttpResponse<InputStream> r = http.send(call, "HEAD", blobUri(repo, digest), Map.of(), BodyPublishers.noBody(),
                Set.of(200, 404));
        RegistryHttp.drain(r);
        return r.statusCode() == 200;
    }

    /**
     * Pushes a blob unless the repository has it: mounted from {@code mountFrom} (another repository of the
     * same registry, or null) if the registry can, else uploaded from {@code content}, which may be opened
     * more than once (when a request must be repeated after authenticating).
     */
    public void pushBlob(Reference repo, Descriptor desc, Supplier<InputStream> content, Reference mountFrom) {
        boolean mount = mountFrom != null && mountFrom.domain().equals(repo.domain()) && !mountFrom.path().equals(repo.path());
        Call call = push("push " + repo.name() + "@" + desc.digest(), repo, mount ? mountFrom : null);
        if (exists(call, repo, desc.digest())) return;
        String start = "blobs/uploads/";
        if (mount) start += "?mount=" + encode(desc.digest().toString()) + "&from=" + encode(mountFrom.path());
        HttpResponse<InputStream> r = http.send(call, "POST", repoUri(repo, start), Map.of(), BodyPublishers.noBody(),
                Set.of(201, 202));
        RegistryHttp.drain(r);
        if (r.statusCode() == 201) {
            checkDigestHeader(call, r, desc.digest());
            return;
        }
        uploader.upload(call, RegistryHttp.location(call, r), desc, content);
    }

    /** Pushes a manifest (or index) under the reference's tag, or its digest; returns the body's digest. */
    public Digest pushManifest(Reference ref, String mediaType, byte[] body) {
        Call call = push("push " + ref, ref, null);
        Digest digest = Digest.of(body);
        if (ref.digest() != null && !ref.digest().equals(digest)) {
            throw new IllegalArgumentException("push " + ref + ": the manifest's digest is " + digest);
        }
        HttpResponse<InputStream> r = http.send(call, "PUT", manifestUri(ref), Map.of("Content-Type", mediaType),
                BodyPublishers.ofByteArray(body), Set.of(200, 201));
        RegistryHttp.drain(r);
        checkDigestHeader(call, r, digest);
        return digest;
    }

    /**
     * Checks that {@code credentials} log in to the registry at {@code host} ({@code 127.0.0.1:5000},
     * {@code docker.io}): GET /v2/ through the registry's auth flow. Throws {@link UnauthorizedException}
     * ({@code login to <host> failed: unauthorized: ...}) if the registry refuses them. Nothing is stored.
     */
    public void checkLogin(String host, Credentials credentials) {
        String apiHost = Reference.DOCKER_HUB.equals(host) || "index.docker.io".equals(host) ? "registry-1.docker.io" : host;
        Authenticator auth = new Authenticator(httpClient, hosts, h -> Optional.of(credentials), InstantSource.system());
        Call call = new Call("login to " + host + " failed", apiHost, List.of(), null);
        RegistryHttp.drain(new RegistryHttp(httpClient, auth).send(call, "GET", hosts.api(apiHost), Map.of(),
                BodyPublishers.noBody(), OK));
    }

    private static Call pull(String what, Reference ref) {
        return new Call(what, ref.apiHost(), List.of(Call.pullScope(ref.path())), ref.domain());
    }

    private static Call push(String what, Reference ref, Reference mountFrom) {
        List<String> scopes = new ArrayList<>(List.of(Call.pushScope(ref.path())));
        if (mountFrom != null) scopes.add(Call.pullScope(mountFrom.path()));
        return new Call(what, ref.apiHost(), scopes, ref.domain());
    }

    private URI repoUri(Reference ref, String rest) {
        return hosts.api(ref.apiHost()).resolve(ref.path() + "/" + rest);
    }

    private URI manifestUri(Reference ref) {
        return repoUri(ref, "manifests/" + (ref.digest() != null ? ref.digest().toString() : ref.tag()));
    }

    private URI blobUri(Reference repo, Digest digest) {
        return repoUri(repo, "blobs/" + digest);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] readManifest(Call call, HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_MANIFEST + 1);
            if (body.length > MAX_MANIFEST) throw new ImageException(call.what() + ": manifest larger than " + MAX_MANIFEST + " bytes");
            return body;
        } catch (IOException e) {
            throw new ImageException(call.what() + ": " + RegistryHttp.reason(e), e);
        }
    }

    /** The Content-Type if it names a manifest or index, else the body's own mediaType. */
    private static String mediaType(HttpResponse<?> r, byte[] body) {
        String header = r.headers().firstValue("Content-Type").map(v -> v.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        if (MediaTypes.isManifest(header) || MediaTypes.isIndex(header)) return header;
        String own = ImageJson.mediaTypeOf(body);
        return own != null ? own : header;
    }

    /** Throws if the response's Docker-Content-Digest (when it has one) differs from {@code expected}. */
    static void checkDigestHeader(Call call, HttpResponse<?> r, Digest expected) {
        Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
        if (header.isEmpty() || !header.get().startsWith("sha256:")) return;
        Digest said;
        try {
            said = Digest.parse(header.get().strip());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!said.equals(expected)) {
            throw new ImageException(call.what() + ": the registry says digest " + said + ", the content has " + expected);
        }
    }

    /** The first byte of a 206's {@code Content-Range: bytes <first>-<last>/<size>}. */
    private static long rangeStart(HttpResponse<?> r) {
        String cr = r.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(cr.strip());
        if (!m.matches()) throw new ImageException("invalid Content-Range \"" + cr + "\" from " + r.request().uri().getRawAuthority());
        return Long.parseLong(m.group(1));
    }
}
