package berth.cli;

import berth.cli.client.ApiClient;
import berth.cli.client.DaemonException;
import berth.cli.client.HttpRequest;
import berth.cli.client.HttpResponse;
import berth.cli.client.Json;
import berth.cli.client.Query;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code cp} with the docker CLI's semantics: {@code CONTAINER:SRC DEST} or {@code SRC CONTAINER:DEST}, a
 * {@code -} for a tar stream on stdout or stdin. The destination decides the shape: an existing directory
 * receives the source under its own name, anything else is (re)named to the destination, and a source
 * ending in {@code /.} copies a directory's content. The container side is stat-ed through the
 * {@code X-Docker-Container-Path-Stat} header; container paths are relative to its root.
 */
final class CopyCommand {
    private CopyCommand() {}

    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    /** Go's os.ModeDir and os.ModeSymlink bits in the stat's mode. */
    static final long MODE_DIR = 1L << 31, MODE_SYMLINK = 1L << 27;

    static final List<Main.Command> ALL;

    static {
        CliFlags f = new CliFlags().bool("archive", 'a', "archive mode (copy all uid/gid information)")
                .bool("follow-link", 'L', "always follow symbol link in SRC_PATH").bool("quiet", 'q', "suppress progress output during copy");
        String usage = "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH";
        String help = "Copy files/folders between a container and the local filesystem";
        ALL = List.of(Main.Command.of("cp", usage, help, f, CopyCommand::cp), Main.Command.of("container cp", usage, help, f, CopyCommand::cp));
    }

    /** {@code container:path}, or a local path (absolute paths and paths without a colon are local). */
    record Location(String container, String path) {
        static Location parse(String arg) {
            if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) return new Location(null, arg);
            int colon = arg.indexOf(':');
            if (colon <= 0) return new Location(null, arg);
            String path = arg.substring(colon + 1);
            return new Location(arg.substring(0, colon), path.startsWith("/") ? path : "/" + path);
        }
    }

    /** A path's stat as the daemon reports it. */
    record Stat(String name, long size, long mode, String linkTarget) {
        boolean isDir() {
            return (mode & MODE_DIR) != 0;
        }

        static Stat decode(String header) {
            if (header == null) return null;
            JsonNode n = Json.parse(Base64.getDecoder().decode(header));
            return new Stat(n.path("name").asText(), n.path("size").asLong(), n.path("mode").asLong(), n.path("linkTarget").asText(""));
        }
    }

    static int cp(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().size() != 2) throw new UsageException("\"cp\" requires exactly 2 arguments");
        Location src = Location.parse(p.args().get(0)), dst = Location.parse(p.args().get(1));
        if (src.container() != null && dst.container() != null) throw new UsageException("copying between containers is not supported");
        if (src.container() == null && dst.container() == null) throw new UsageException("must specify at least one container source");
        if (src.container() != null) fromContainer(m, src, dst.path(), p.is("follow-link"));
        else toContainer(m, src.path(), dst, p.is("archive"), p.is("follow-link"));
        return 0;
    }

    private static void fromContainer(Main m, Location src, String dst, boolean followLink) throws IOException {
        ApiClient api = m.api();
        String srcPath = src.path();
        if (followLink) {
            Stat s = stat(api, src.container(), srcPath);
            if (s != null && (s.mode() & MODE_SYMLINK) != 0 && !s.linkTarget().isEmpty()) srcPath = s.linkTarget();
        }
        try (HttpResponse r = api.call("GET", "/containers/" + src.container() + "/archive", Query.of().add("path", srcPath), null, Map.of())) {
            if (dst.equals("-")) {
                r.body().transferTo(m.out);
                m.out.flush();
                return;
            }
            Stat stat = Stat.decode(r.header(STAT_HEADER));
            if (stat == null) throw new IOException("the daemon sent no " + STAT_HEADER + " header");
            Path target = Path.of(dst);
            boolean contents = srcPath.endsWith("/.");
            Path root;
            if (Files.isDirectory(target)) {
                if (!stat.isDir() || !contents) root = target.resolve(stat.name());
                else root = target;
            } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (stat.isDir()) throw new ExitStatus(1, "Error: cannot copy a directory to a file: " + dst);
                root = target;
            } else {
                if (dst.endsWith("/") && !stat.isDir()) throw new ExitStatus(1, "Error: destination directory " + dst + " does not exist");
                Path parent = target.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) throw new ExitStatus(1, "Error: destination directory " + parent + " does not exist");
                root = target;
            }
            TarCopy.extract(r.body(), stat.name(), root);
        }
    }

    private static void toContainer(Main m, String src, Location dst, boolean archive, boolean followLink) throws IOException {
        ApiClient api = m.api();
        String container = dst.container();
        Query q = Query.of().add("path", dst.path()).add("noOverwriteDirNonDir", true).flag("copyUIDGID", archive);
        if (src.equals("-")) {
            put(api, container, q, HttpRequest.Body.stream(m.in, "application/x-tar"));
            return;
        }
        Path source = Path.of(src);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) throw new ExitStatus(1, "Error: lstat " + source.toAbsolutePath() + ": no such file or directory");
        if (followLink) source = source.toRealPath();
        boolean srcIsDir = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
        boolean contents = src.endsWith("/.") || src.equals(".");
        Stat target = stat(api, container, dst.path());
        String uploadDir;
        String topName;
        if (target != null && target.isDir()) {
            uploadDir = dst.path();
            topName = contents ? "." : source.toAbsolutePath().normalize().getFileName().toString();
        } else if (target != null) {
            if (srcIsDir) throw new ExitStatus(1, "Error: cannot copy a directory to a file: " + dst.path());
            uploadDir = parent(dst.path());
            topName = base(dst.path());
        } else {
            if (dst.path().endsWith("/")) throw new ExitStatus(1, "Error: destination directory " + dst.path() + " does not exist in " + container);
            uploadDir = parent(dst.path());
            topName = base(dst.path());
        }
        Path from = source;
        HttpRequest.Body body = new HttpRequest.Body() {
            public long length() {
                return -1;
            }

            public String contentType() {
                return "application/x-tar";
            }

            public void writeTo(OutputStream out) throws IOException {
                TarCopy.write(from, topName, out);
            }
        };
        Query upload = Query.of().add("path", uploadDir).add("noOverwriteDirNonDir", true).flag("copyUIDGID", archive);
        put(api, container, upload, body);
    }

    private static void put(ApiClient api, String container, Query q, HttpRequest.Body body) throws IOException {
        try (HttpResponse r = api.call("PUT", "/containers/" + container + "/archive", q, body, Map.of())) {
            r.bodyBytes();
        }
    }

    /** The stat of a path in the container, or null if it does not exist. */
    private static Stat stat(ApiClient api, String container, String path) throws IOException {
        try (HttpResponse r = api.send("HEAD", "/containers/" + container + "/archive", Query.of().add("path", path), null, Map.of())) {
            if (r.status() == 404) {
                if (isNoSuchContainer(api, container)) throw new DaemonException(404, "No such container: " + container);
                return null;
            }
            if (r.status() / 100 != 2) throw new DaemonException(r.status(), "stat " + path + " in " + container + " failed (HTTP " + r.status() + ")");
            return Stat.decode(r.header(STAT_HEADER));
        }
    }

    private static boolean isNoSuchContainer(ApiClient api, String container) throws IOException {
        try {
            api.get("/containers/" + container + "/json", null);
            return false;
        } catch (DaemonException e) {
            return e.notFound();
        }
    }

    private static String parent(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
    }

    private static String base(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
