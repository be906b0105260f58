package berth.engine.archive;

/**
 * How {@link ContainerFiles#extractTar} treats what is already there and whose the new files are, as the query
 * of {@code PUT /containers/{id}/archive} says.
 *
 * @param noOverwriteDirNonDir {@code noOverwriteDirNonDir=1}: refuse to replace a directory with a
 *                             non-directory, or a non-directory with a directory
 * @param owner                the owner every extracted file gets, or null to keep the archive's owners.
 *                             Docker's {@code copyUIDGID=1} means the container's configured user (its uid and
 *                             primary gid); without it, or for a container without a configured user, the
 *                             owners in the archive are kept
 */
public record ExtractOptions(boolean noOverwriteDirNonDir, Owner owner) {
    /** Keeps the archive's owners and replaces whatever is in the way. */
    public static final ExtractOptions DEFAULT = new ExtractOptions(false, null);

    /** A numeric owner. */
    public record Owner(int uid, int gid) {}
}
