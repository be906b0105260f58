package berth.engine.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import berth.engine.it.support.BusyboxRootfs;
import berth.image.Digest;
import berth.image.ImageConfig;
import berth.image.ImageJson;
import berth.image.Index;
import berth.image.Manifest;
import berth.image.archive.TarWriting;
import berth.image.it.UmociImage;
import berth.image.snapshot.ChainIds;

/**
 * An OCI image layout made by umoci (not berth) that takes a while to pull: a busybox layer, then
 * {@code dataLayers} layers of one file {@code /data/<n>.bin} of incompressible bytes each. It remembers
 * what every layer must hold, so a snapshot of it can be checked file by file.
 *
 * @param layout the OCI image layout, tagged {@link UmociImage#TAG}
 * @param id     the image ID (its config's digest)
 * @param chains the chain ID of every layer, bottom first
 * @param files  per layer, bottom first: path in the image to the sha256 hex its content must have
 */
record BigImage(Path layout, Digest id, List<Digest> chains, List<Map<String, String>> files) {

    /** Builds the image in {@code work}: {@code dataLayers} layers of {@code layerBytes} random bytes each. */
    static BigImage build(Path work, int dataLayers, int layerBytes) throws IOException, InterruptedException {
        Path layout = work.resolve("layout");
        String image = layout + ":" + UmociImage.TAG;
        UmociImage.run(work, "umoci", "init", "--layout", layout.toString());
        UmociImage.run(work, "umoci", "new", "--image", image);

        List<Map<String, String>> files = new ArrayList<>();
        Path busybox = BusyboxRootfs.write(work.resolve("busybox.tar"));
        UmociImage.run(work, "umoci", "raw", "add-layer", "--image", image, busybox.toString());
        files.add(Map.of("bin/busybox", sha256(Files.readAllBytes(Path.of("/bin/busybox")))));

        Random random = new Random(7);
        byte[] content = new byte[layerBytes];
        for (int n = 1; n <= dataLayers; n++) {
            random.nextBytes(content);
            Path tar = work.resolve("data-" + n + ".tar");
            try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
                TarWriting.directory(t, "data/", 040755);
                TarWriting.file(t, dataFile(n), content, 0100644);
            }
            UmociImage.run(work, "umoci", "raw", "add-layer", "--image", image, tar.toString());
            files.add(Map.of(dataFile(n), sha256(content)));
        }
        UmociImage.run(work, "umoci", "config", "--image", image, "--config.cmd=/bin/sh");
        UmociImage.run(work, "umoci", "gc", "--layout", layout.toString());

        Index index = ImageJson.read(Files.readAllBytes(layout.resolve("index.json")), Index.class, "index.json");
        Manifest manifest = ImageJson.read(blob(layout, index.manifests().getFirst().digest()), Manifest.class, "manifest");
        Digest id = manifest.config().digest();
        ImageConfig config = ImageJson.read(blob(layout, id), ImageConfig.class, "image config");
        return new BigImage(layout, id, ChainIds.of(config.diffIds()), List.copyOf(files));
    }

    /** The path of data layer {@code n} (1-based) inside the image. */
    static String dataFile(int n) {
        return "data/" + n + ".bin";
    }

    private static byte[] blob(Path layout, Digest d) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()));
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(Digest.sha256().digest(content));
    }
}
