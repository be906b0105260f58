package berth.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The workload the build runs once to train bin/berth's AOT cache: common commands parsed and sent, over a
 * real unix socket, to a stub daemon in this process that answers with canned Docker API responses (flag
 * parsing, the create body, the HTTP client, JSON, templates and tables are loaded and profiled, so a fresh
 * {@code bin/berth ps} starts warm). A command that fails here only means less in the cache.
 */
final class Training {
    private Training() {}

    private static final String CONTAINER = "{\"Id\":\"4f2a0c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f\",\"Names\":[\"/training\"],"
            + "\"Image\":\"busybox\",\"Command\":\"sh -c 'echo hello'\",\"Created\":1700000000,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,"
            + "\"PublicPort\":8080,\"Type\":\"tcp\"}],\"Labels\":{\"a\":\"b\"},\"State\":\"running\",\"Status\":\"Up 2 minutes\","
            + "\"NetworkSettings\":{\"Networks\":{\"bridge\":{}}},\"Mounts\":[]}";
    private static final Map<String, String> ANSWERS = Map.of(
            "/containers/json", "[" + CONTAINER + "]",
            "/containers/create", "{\"Id\":\"4f2a0c1d9e8b\",\"Warnings\":[]}",
            "/containers/training/json", "{\"Id\":\"4f2a0c1d9e8b\",\"Name\":\"/training\",\"State\":{\"Running\":true,\"Status\":\"running\"},"
                    + "\"Config\":{\"Tty\":false,\"Labels\":{\"a\":\"b\"}},\"NetworkSettings\":{\"Ports\":{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}}}",
            "/images/json", "[{\"Id\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"RepoTags\":[\"busybox:latest\"],"
                    + "\"RepoDigests\":[],\"Created\":1700000000,\"Size\":4261000}]",
            "/version", "{\"Version\":\"training\",\"ApiVersion\":\"1.44\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"}",
            "/volumes", "{\"Volumes\":[{\"Name\":\"v1\",\"Driver\":\"local\",\"Labels\":{}}]}",
            "/networks", "[{\"Id\":\"0123456789abcdef\",\"Name\":\"bridge\",\"Driver\":\"bridge\",\"Scope\":\"local\"}]");

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("berth-cli-aot");
        Path socket = dir.resolve("stub.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread stub = Thread.ofPlatform().daemon().start(() -> serve(server));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            String host = "unix://" + socket;
            String[][] commands = {
                    {"version"}, {"ps"}, {"ps", "-a", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Status}}"}, {"ps", "--format", "{{json .}}"},
                    {"images"}, {"inspect", "-f", "{{.State.Running}} {{json .Config.Labels}}", "training"}, {"port", "training"},
                    {"create", "--name", "t", "-e", "A=1", "-p", "8080:80", "-v", "/data", "--memory", "64m", "--cpus", "0.5",
                            "--restart", "on-failure:3", "--ulimit", "nofile=1024:2048", "busybox", "sh"},
                    {"volume", "ls"}, {"network", "ls"}, {"run", "--bogus-flag"},
            };
            for (String[] c : commands) {
                String[] argv = new String[c.length + 2];
                argv[0] = "-H";
                argv[1] = host;
                System.arraycopy(c, 0, argv, 2, c.length);
                int status = new Main(quiet, quiet, InputStream.nullInputStream(), System.getenv()).execute(argv);
                System.out.println("training: berth " + String.join(" ", c) + " -> " + status);
            }
            stub.interrupt();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (true) {
            try (SocketChannel ch = server.accept()) {
                InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
                String requestLine = line(in);
                int contentLength = 0;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    if (h.toLowerCase().startsWith("content-length:")) contentLength = Integer.parseInt(h.substring(15).strip());
                }
                in.readNBytes(contentLength);
                String target = requestLine.split(" ")[1];
                String path = target.replaceFirst("^/v[0-9.]+", "").replaceFirst("\\?.*", "");
                String body = path.equals("/_ping") ? "OK" : ANSWERS.getOrDefault(path, "{\"message\":\"not in the training stub: " + path + "\"}");
                int status = path.equals("/_ping") || ANSWERS.containsKey(path) ? 200 : 404;
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 " + status + " X\r\nApi-Version: 1.44\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
                OutputStream out = Channels.newOutputStream(ch);
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) if (c != '\r') b.append((char) c);
        return b.toString();
    }
}
