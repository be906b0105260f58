package berth.cli;

import berth.image.archive.TarWriting;
import berth.image.layer.Compression;
import berth.image.snapshot.Tree;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The workload the build runs once to train bin/berth's AOT cache: the image commands over a layer of a
 * few hundred files and some megabytes (tar, gzip, sha256, the unpacker and JSON get hot and profiled, so
 * a real pull or load reaches compiled code sooner). It needs no registry and no root beyond what the
 * build has; a command that fails here only means less in the cache.
 */
final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("berth-cli-aot");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            Path layer = tmp.resolve("layer.tar.gz");
            writeLayer(layer);
            String root = tmp.resolve("root").toString();
            String[][] commands = {
                    {"import", "-c", "CMD [\"/bin/sh\"]", layer.toString(), "training:1"},
                    {"images"}, {"image", "inspect", "training:1"}, {"history", "training:1"},
                    {"tag", "training:1", "training:2"},
                    {"save", "-o", tmp.resolve("saved.tar").toString(), "training:1"},
                    {"rmi", "training:2"}, {"image", "prune", "-a", "-f"},
                    {"load", "-i", tmp.resolve("saved.tar").toString()}, {"images", "-q"},
            };
            for (String[] c : commands) {
                String[] argv = new String[c.length + 2];
                argv[0] = "--root";
                argv[1] = root;
                System.arraycopy(c, 0, argv, 2, c.length);
                int status = new Main(quiet, System.err).execute(argv);
                System.out.println("training: berth " + String.join(" ", c) + " -> " + status);
            }
        } finally {
            Tree.delete(tmp);
        }
    }

    /** 400 small files and one of 8 MB, gzip-compressed. */
    private static void writeLayer(Path file) throws Exception {
        Random random = new Random(1);
        try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < 400; i++) {
                byte[] content = new byte[random.nextInt(4096)];
                random.nextBytes(content);
                entry(tar, "dir" + (i % 20) + "/file" + i, content);
            }
            byte[] big = new byte[8 << 20];
            random.nextBytes(big);
            entry(tar, "big.bin", big);
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws Exception {
        TarWriting.file(tar, name, content, 0100644);
    }
}
