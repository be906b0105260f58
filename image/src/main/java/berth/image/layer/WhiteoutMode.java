package berth.image.layer;

/** What the unpacker does with a layer's whiteout entries ({@code .wh.NAME} and {@code .wh..wh..opq}). */
public enum WhiteoutMode {
    /**
     * The layer goes into a directory of its own that becomes one overlayfs lower layer: {@code .wh.NAME}
     * becomes a 0/0 character device NAME and {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y}
     * on its directory, so that overlayfs hides what the layers below have there.
     */
    OVERLAY,
    /**
     * The layer is applied on top of a copy of the layers below it (a snapshotter without overlayfs):
     * {@code .wh.NAME} deletes NAME, and {@code .wh..wh..opq} deletes everything in its directory that this
     * layer did not write. The result is what an overlay mount of the layers would show.
     */
    APPLY
}
