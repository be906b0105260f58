/**
 * Snapshots: unpacked layers, named by chain ID, and the mount descriptions that stack them into a
 * container's root filesystem. Snapshotters never mount; they return {@link berth.image.snapshot.Mount}s and
 * the caller mounts them with a {@link berth.image.snapshot.Mounter}, so layer planning is unit-testable.
 * {@link berth.image.snapshot.OverlaySnapshotter} unpacks every layer once into its own directory and shares
 * it; {@link berth.image.snapshot.CopySnapshotter} (Docker's "vfs") copies where overlayfs is unavailable.
 */
package berth.image.snapshot;
