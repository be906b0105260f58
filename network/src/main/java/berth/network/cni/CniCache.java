package berth.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of ADD, one file per attachment, in libcni's cache format ({@code kind: cniCacheV1}: the
 * configuration list used, base64-encoded as Go encodes bytes, the CNI_ARGS pairs, the capability
 * arguments and the result), at {@code <dir>/results/<network>-<containerId>-<ifname>}. Files are
 * replaced atomically (a temporary file in the same directory, then rename), readable by root only.
 */
public final class CniCache {
    private static final String KIND = "cniCacheV1";

    /** One cached attachment: what ADD was given and what it returned. */
    public record Entry(String networkName, String containerId, String ifname, CniConfigList config,
                        Map<String, String> cniArgs, Map<String, Object> capabilityArgs, CniResult result) {
        /** The runtime configuration ADD ran with, in namespace {@code netns}. */
        public RuntimeConf runtimeConf(String netns) {
            return new RuntimeConf(containerId, netns, ifname, cniArgs, capabilityArgs);
        }
    }

    private final Path results;

    public CniCache(Path dir) {
        this.results = dir.resolve("results");
    }

    public Path file(String network, String containerId, String ifname) {
        return results.resolve(network + "-" + containerId + "-" + ifname);
    }

    public void put(CniConfigList config, RuntimeConf rt, CniResult result) {
        ObjectNode o = CniJson.MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.put("containerId", rt.containerId());
        o.put("config", Base64.getEncoder().encodeToString(config.toBytes()));
        o.put("ifName", rt.ifname());
        o.put("networkName", config.name());
        if (!rt.args().isEmpty()) {
            ArrayNode args = o.putArray("cniArgs");
            rt.args().forEach((k, v) -> args.addArray().add(k).add(v));
        }
        if (!rt.capabilityArgs().isEmpty()) o.set("capabilityArgs", CniJson.MAPPER.valueToTree(rt.capabilityArgs()));
        o.set("result", result.json());
        writeAtomically(file(config.name(), rt.containerId(), rt.ifname()), CniJson.bytes(o));
    }

    public Optional<Entry> get(String network, String containerId, String ifname) {
        Path f = file(network, containerId, ifname);
        byte[] data;
        try {
            data = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + f + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(data, f));
    }

    /** Removes the entry; true if there was one. */
    public boolean remove(String network, String containerId, String ifname) {
        Path f = file(network, containerId, ifname);
        try {
            return Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + f + ": " + e.getMessage(), e);
        }
    }

    /** Every entry that can be read; unreadable files are skipped (a crash leaves none: writes are atomic). */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(results)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(results)) {
            for (Path f : ds) {
                if (f.getFileName().toString().startsWith(".")) continue;
                try {
                    out.add(parse(Files.readAllBytes(f), f));
                } catch (IOException | IllegalArgumentException ignored) {
                    // not ours, or removed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + results + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Entry parse(byte[] data, Path f) {
        JsonNode n = CniJson.tryParse(data);
        if (n == null || !KIND.equals(n.path("kind").asText())) throw new IllegalArgumentException(f + ": not a CNI cache entry");
        Map<String, String> args = new LinkedHashMap<>();
        for (JsonNode pair : n.path("cniArgs")) args.put(pair.path(0).asText(), pair.path(1).asText());
        Map<String, Object> caps = new LinkedHashMap<>();
        n.path("capabilityArgs").properties().forEach(e -> caps.put(e.getKey(), CniJson.MAPPER.convertValue(e.getValue(), Object.class)));
        CniConfigList config = CniConfigList.parse(Base64.getDecoder().decode(n.path("config").asText("")));
        CniResult result = n.hasNonNull("result") ? CniResult.parse(n.get("result"), f.toString()) : null;
        return new Entry(n.path("networkName").asText(), n.path("containerId").asText(), n.path("ifName").asText(),
                config, args, caps, result);
    }

    private void writeAtomically(Path target, byte[] data) {
        berth.network.StoreFiles.writeAtomically(target, data, true);
    }
}
