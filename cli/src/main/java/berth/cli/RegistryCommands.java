package berth.cli;

import berth.image.Platform;
import berth.image.Reference;
import berth.image.registry.CredentialStore;
import berth.image.registry.Credentials;
import berth.image.registry.RegistryClient;
import berth.image.registry.RegistryHosts;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Commands that talk to a registry: pull, push, login, logout. */
final class RegistryCommands {
    private RegistryCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
    }

    static {
        CliFlags pull = new CliFlags().value("platform", '\0', "os/arch[/variant] to pull (default linux/amd64)")
                .bool("quiet", 'q', "suppress verbose output").bool("all-tags", 'a', "unsupported");
        add("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", pull, RegistryCommands::pull);
        add("image pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", pull, RegistryCommands::pull);
        CliFlags push = new CliFlags().bool("quiet", 'q', "suppress verbose output").bool("all-tags", 'a', "unsupported");
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

    static RegistryClient registry(Main m) {
        return new RegistryClient(RegistryClient.newHttpClient(), credentials(m), new RegistryHosts(new HashSet<>(m.insecureRegistries)));
    }

    static int pull(Main m, CliFlags.Parsed p) throws Exception {
        Reference ref = Reference.parse(p.arg(0, "exactly 1 argument"));
        Platform platform = p.get("platform") != null ? Platform.parse(p.get("platform")) : Platform.LINUX_AMD64;
        var progress = p.is("quiet") ? berth.image.Progress.NONE : new ProgressPrinter(m.out, m.terminal());
        m.images().pull(ref, platform, registry(m), progress);
        m.out.println(ref);
        return 0;
    }

    static int push(Main m, CliFlags.Parsed p) {
        Reference ref = Reference.parse(p.arg(0, "exactly 1 argument"));
        var progress = p.is("quiet") ? berth.image.Progress.NONE : new ProgressPrinter(m.out, m.terminal());
        m.images().push(ref, registry(m), progress);
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

    static int login(Main m, CliFlags.Parsed p) throws Exception {
        String server = host(p.args().isEmpty() ? null : p.args().getFirst());
        String user = p.get("username");
        String pass = p.get("password");
        if (p.is("password-stdin")) {
            if (pass != null) throw new UsageException("--password and --password-stdin are mutually exclusive");
            pass = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
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
        if (pass != null && p.get("password") != null) m.err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        String apiHost = server.equals(CredentialStore.DOCKER_HUB_KEY) ? "registry-1.docker.io" : server;
        registry(m).checkLogin(apiHost, new Credentials(user, pass));
        credentials(m).store(server, user, pass);
        m.out.println("Login Succeeded");
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
