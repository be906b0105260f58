package berth.image.layer;

import berth.image.Digest;

/** The tar that {@link LayerDiff} wrote: its diffID (the sha256 of the tar bytes) and its size in bytes. */
public record DiffResult(Digest diffId, long size) {}
