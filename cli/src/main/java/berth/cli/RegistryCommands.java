package berth.cli;

import berth.cli.client.HttpResponse;
import berth.cli.client.Json;
import berth.cli.client.JsonMessages;
import berth.cli.client.Query;
import berth.image.Reference;
import berth.image.registry.CredentialStore;
import berth.image.registry.Credentials;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Commands that reach a registry through the daemon: pull and push (with the client's stored credentials
 * in {@code X-Registry-Auth}), login (checked by the daemon's {@code POST /auth}, then stored client-side in
 * config.json as docker does) and logout.
 */
final class RegistryCommands {
    private RegistryCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
    }

    static {
        CliFlags pull = new CliFlags().value("platform", '\0', "set platform if server is multi-platform capable")
                .bool("quiet", 'q', "suppress verbose output").bool("all-tags", 'a', "download all tagged images in the repository");
        add("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", pull, RegistryCommands::pull);
        add("image pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", pull, RegistryCommands::pull);
        CliFlags push = new CliFlags().bool("quiet", 'q', "suppress verbose output").bool("all-tags", 'a', "push all tags of an image to the repository");
        add("push", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", push, RegistryCommands::push);
        add("image push", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", push, RegistryCommands::push);
        CliFlags login = new CliFlags().value("username", 'u', "username").value("password", 'p', "password")
                .bool("password-stdin", '\0', "take the password from stdin");
        add("login", "[OPTIONS] [SERVER]", "Log in to a registry", login, RegistryCommands::login);
        add("logout", "[SERVER]", "Log out from a registry", new CliFlags(), RegistryCommands::logout);
    }

    static CredentialStore credentials(Main m) {
        return m.configDir != null ? new CredentialStore(Path.of(m.configDir)) : CredentialStore.fromEnvironment();
    }

    /** {@code X-Registry-Auth}: the stored credentials for the registry, base64url JSON ({@code {}} if none). */
    static String registryAuth(Main m, Reference ref) {
        ObjectNode auth = Json.object();
        Optional<Credentials> c = credentials(m).get(ref.domain());
        if (c.isPresent()) {
            auth.put("username", c.get().username()).put("password", c.get().password()).put("serveraddress", serverAddress(ref.domain()));
        }
        return Base64.getUrlEncoder().encodeToString(Json.write(auth).getBytes(StandardCharsets.UTF_8));
    }

    private static String serverAddress(String domain) {
        return domain.equals(Reference.DOCKER_HUB) ? CredentialStore.DOCKER_HUB_KEY : domain;
    }

    static int pull(Main m, CliFlags.Parsed p) throws IOException {
        String image = p.arg(0, "exactly 1 argument");
        Reference ref = Reference.parse(image);
        if (p.is("all-tags") && (ref.digest() != null || image.lastIndexOf(':') > image.lastIndexOf('/'))) {
            throw new UsageException("tag can't be used with --all-tags/-a");
        }
        pullImage(m, image, p.get("platform"), m.out, p.is("quiet"), p.is("all-tags"));
        m.out.println(p.is("all-tags") ? ref.name() : ref.toString());
        return 0;
    }

    /** Pulls through the daemon, rendering its progress on {@code progress} (stderr for {@code run}). */
    static void pullImage(Main m, String image, String platform, PrintStream progress, boolean quiet) throws IOException {
        pullImage(m, image, platform, progress, quiet, false);
    }

    private static void pullImage(Main m, String image, String platform, PrintStream progress, boolean quiet, boolean allTags) throws IOException {
        Reference ref = Reference.parse(image);
        Query q = Query.of().add("fromImage", ref.familiarName());
        if (!allTags) q.add("tag", ref.digest() != null ? ref.digest().toString() : ref.tag());
        q.add("platform", platform);
        ProgressPrinter printer = new ProgressPrinter(progress, progress == m.out && m.terminal());
        try (HttpResponse r = m.api().call("POST", "/images/create", q, null, Map.of("X-Registry-Auth", registryAuth(m, ref)))) {
            JsonMessages.each(r.body(), msg -> {
                if (!quiet) printer.message(msg);
            });
        }
    }

    static int push(Main m, CliFlags.Parsed p) throws IOException {
        Reference ref = Reference.parse(p.arg(0, "exactly 1 argument"));
        Query q = Query.of().add("tag", p.is("all-tags") ? null : ref.tag());
        ProgressPrinter printer = new ProgressPrinter(m.out, m.terminal());
        try (HttpResponse r = m.api().call("POST", "/images/" + ref.familiarName() + "/push", q, null,
                Map.of("X-Registry-Auth", registryAuth(m, ref)))) {
            JsonMessages.each(r.body(), msg -> {
                if (!p.is("quiet")) printer.message(msg);
            });
        }
        if (p.is("quiet")) m.out.println(ref.familiar());
        return 0;
    }

    /** The registry host a login names; no server means Docker Hub. */
    static String host(String server) {
        if (server == null) return CredentialStore.DOCKER_HUB_KEY;
        String s = server.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) s = s.substring(0, slash);
        return s.equals("docker.io") || s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? CredentialStore.DOCKER_HUB_KEY : s;
    }

    static int login(Main m, CliFlags.Parsed p) throws IOException {
        String server = host(p.args().isEmpty() ? null : p.args().getFirst());
        String user = p.get("username");
        String pass = p.get("password");
        if (p.is("password-stdin")) {
            if (pass != null) throw new UsageException("--password and --password-stdin are mutually exclusive");
            if (user == null) throw new UsageException("must provide --username with --password-stdin");
            pass = new BufferedReader(new InputStreamReader(m.in, StandardCharsets.UTF_8)).readLine();
            if (pass == null) throw new UsageException("no password on stdin");
        }
        if (user == null || pass == null) {
            var console = System.console();
            if (console == null || !console.isTerminal()) {
                throw new UsageException("login needs --username and --password or --password-stdin when not on a terminal");
            }
            if (user == null) user = console.readLine("Username: ");
            if (pass == null) pass = new String(console.readPassword("Password: "));
        }
        if (p.get("password") != null) m.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        ObjectNode body = Json.object().put("username", user).put("password", pass).put("serveraddress", server);
        String status = m.api().post("/auth", null, body).path("Status").asText("Login Succeeded");
        credentials(m).store(server, user, pass);
        m.out.println(status);
        return 0;
    }

    static int logout(Main m, CliFlags.Parsed p) {
        String server = host(p.args().isEmpty() ? null : p.args().getFirst());
        CredentialStore store = credentials(m);
        if (store.get(server).isEmpty()) {
            m.out.println("Not logged in to " + server);
            return 0;
        }
        m.out.println("Removing login credentials for " + server);
        store.erase(server);
        return 0;
    }
}
