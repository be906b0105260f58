/**
 * Image layers as tar streams, in both directions. {@link berth.image.layer.LayerUnpacker} turns a layer
 * blob (tar, tar+gzip or tar+zstd, detected by {@link berth.image.layer.Compression}) into a directory,
 * either as an overlayfs layer of its own ({@link berth.image.layer.WhiteoutMode#OVERLAY}: whiteouts become
 * 0/0 character devices and opaque-directory xattrs) or applied over a copy of the layers below it
 * ({@link berth.image.layer.WhiteoutMode#APPLY}: whiteouts delete), and returns the layer's diffID, the
 * sha256 of the uncompressed tar. Layers are hostile input: no entry may create, change or read anything
 * outside the target directory, whatever its names, symbolic links and hard links say; every refusal is a
 * {@link berth.image.layer.LayerException} naming the entry and the reason. {@link berth.image.layer.LayerDiff}
 * goes the other way: it writes an overlay upper directory as a deterministic PAX tar, turning overlayfs
 * whiteouts back into {@code .wh.} entries, which is how a container's changes become a new layer.
 */
package berth.image.layer;
