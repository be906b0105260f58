package berth.cli;

import berth.cli.client.HttpRequest;
import berth.cli.client.HttpResponse;
import berth.cli.client.JsonMessages;
import berth.cli.client.Query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** save and load: images to and from tarballs, streamed through the daemon. */
final class ArchiveCommands {
    private ArchiveCommands() {}

    static final List<Main.Command> ALL = new ArrayList<>();

    private static void add(String words, String usage, String help, CliFlags flags, Main.Body body) {
        ALL.add(Main.Command.of(words, usage, help, flags, body));
    }

    static {
        CliFlags save = new CliFlags().value("output", 'o', "write to a file, instead of STDOUT");
        add("save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)", save, ArchiveCommands::save);
        add("image save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive", save, ArchiveCommands::save);
        CliFlags load = new CliFlags().value("input", 'i', "read from tar archive file, instead of STDIN").bool("quiet", 'q', "suppress the load output");
        add("load", "[OPTIONS]", "Load an image from a tar archive or STDIN", load, ArchiveCommands::load);
        add("image load", "[OPTIONS]", "Load an image from a tar archive or STDIN", load, ArchiveCommands::load);
    }

    static int save(Main m, CliFlags.Parsed p) throws IOException {
        if (p.args().isEmpty()) throw new UsageException("\"save\" requires at least 1 argument");
        Query q = Query.of();
        for (String name : p.args()) q.add("names", name);
        try (HttpResponse r = m.api().call("GET", "/images/get", q, null, Map.of())) {
            ContainerInfoCommands.writeOut(m, r.body(), p.get("output"));
        }
        return 0;
    }

    static int load(Main m, CliFlags.Parsed p) throws IOException {
        String input = p.get("input");
        if (input == null && m.terminal()) throw new UsageException("requested load from stdin, but stdin is empty");
        try (InputStream in = input != null ? Files.newInputStream(Path.of(input)) : m.in;
             HttpResponse r = m.api().call("POST", "/images/load", Query.of().add("quiet", p.is("quiet")),
                     HttpRequest.Body.stream(in, "application/x-tar"), Map.of())) {
            String type = r.header("Content-Type");
            if (type != null && type.startsWith("application/json")) {
                ProgressPrinter printer = new ProgressPrinter(m.out, m.terminal());
                JsonMessages.each(r.body(), printer::message);
            } else {
                r.body().transferTo(m.out);
            }
        }
        return 0;
    }
}
