package berth.cli;

import berth.image.Platform;
import berth.image.archive.ArchiveReader;
import berth.image.archive.ArchiveWriter;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** save and load: images to and from tarballs. */
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
        CliFlags load = new CliFlags().value("input", 'i', "read from tar archive file, instead of STDIN").bool("quiet", 'q', "suppress the load output")
                .value("platform", '\0', "the platform to load from a multi-platform archive (default linux/amd64)");
        add("load", "[OPTIONS]", "Load an image from a tar archive or STDIN", load, ArchiveCommands::load);
        add("image load", "[OPTIONS]", "Load an image from a tar archive or STDIN", load, ArchiveCommands::load);
    }

    static int save(Main m, CliFlags.Parsed p) throws Exception {
        if (p.args().isEmpty()) throw new UsageException("\"save\" requires at least 1 argument");
        String output = p.get("output");
        if (output == null) {
            if (m.terminal()) throw new UsageException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            OutputStream out = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
            new ArchiveWriter(m.images()).save(p.args(), out);
            out.flush();
            return 0;
        }
        // Written beside the target and renamed, so a failed save leaves no truncated archive behind.
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".berth-save-", ".tar");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                new ArchiveWriter(m.images()).save(p.args(), out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }

    static int load(Main m, CliFlags.Parsed p) throws Exception {
        String input = p.get("input");
        Platform platform = p.get("platform") != null ? Platform.parse(p.get("platform")) : Platform.LINUX_AMD64;
        if (input == null && m.terminal() && System.console() != null) {
            throw new UsageException("requested load from stdin, but stdin is empty");
        }
        try (InputStream in = input != null ? Files.newInputStream(Path.of(input)) : System.in) {
            var progress = p.is("quiet") ? berth.image.Progress.NONE : new ProgressPrinter(m.out, m.terminal());
            for (String line : new ArchiveReader(m.images()).load(new java.io.BufferedInputStream(in, 1 << 16), platform, progress)) {
                m.out.println(line);
            }
        }
        return 0;
    }
}
