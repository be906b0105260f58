package berth.image.layer;

import berth.image.Digest;

/**
 * What unpacking a layer found out: its diffID (the sha256 of the uncompressed tar stream, which the image
 * config lists in {@code rootfs.diff_ids}) and the size of that uncompressed stream in bytes.
 */
public record UnpackResult(Digest diffId, long size) {}
