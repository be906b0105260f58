package berth.image.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import berth.sys.Syscalls;

/**
 * The OCI layer format's deletions: an entry {@code DIR/.wh.NAME} says NAME in DIR is gone, and
 * {@code DIR/.wh..wh..opq} says DIR hides everything the layers below have in it. Both concern only the
 * layers below, never what this same layer holds. Other {@code .wh..wh.} names (aufs's bookkeeping) are ignored.
 */
final class Whiteouts {
    static final String PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final String META_PREFIX = ".wh..wh.";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private final WhiteoutMode mode;
    private final Syscalls sys;
    private final LayerRoot root;
    private final EntryWriter writer;
    private final Consumer<String> warnings;

    Whiteouts(WhiteoutMode mode, Syscalls sys, LayerRoot root, EntryWriter writer, Consumer<String> warnings) {
        this.mode = mode;
        this.sys = sys;
        this.root = root;
        this.writer = writer;
        this.warnings = warnings;
    }

    static boolean isWhiteout(String name) {
        return EntryName.base(name).startsWith(PREFIX);
    }

    /** Carries out the whiteout entry {@code e} (whatever its tar type: only the name counts). */
    void apply(LayerEntry e) throws IOException {
        String dir = EntryName.parent(e.name());
        String base = EntryName.base(e.name());
        if (base.equals(OPAQUE)) {
            opaque(dir, e.rawName());
        } else if (base.startsWith(META_PREFIX)) {
            warnings.accept("layer entry " + LayerException.quote(e.rawName()) + ": skipped, aufs metadata");
        } else {
            String hidden = base.substring(PREFIX.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw LayerException.entry(e.rawName(), "whiteout names no file");
            }
            hide(EntryName.join(dir, hidden), e.rawName());
        }
    }

    private void hide(String name, String entry) throws IOException {
        root.makeParents(name, entry);
        switch (mode) {
            case OVERLAY -> {
                if (root.wasWritten(name)) {
                    warnings.accept("layer entry " + LayerException.quote(entry) + ": ignored, this layer itself has "
                            + LayerException.quote(name));
                } else {
                    writer.whiteoutDevice(name, entry);
                }
            }
            case APPLY -> root.removeLowerContent(name);
        }
    }

    private void opaque(String dir, String entry) throws IOException {
        root.makeDirectories(dir, entry);
        switch (mode) {
            case OVERLAY -> sys.lsetxattr(root.path(dir).toString(), OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            case APPLY -> {
                for (String child : root.children(dir)) root.removeLowerContent(child);
            }
        }
    }
}
