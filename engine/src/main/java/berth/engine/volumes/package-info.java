/**
 * Volumes as Docker's {@code local} driver keeps them: {@link berth.engine.volumes.Volumes} creates, lists,
 * filters, removes and prunes volumes under {@code <root>/volumes/<name>/_data}, mounts those created with
 * {@code type}/{@code device}/{@code o} options while containers use them, and pre-populates a new volume from
 * the image ({@link berth.engine.volumes.Volumes#copyUp}). {@link berth.engine.volumes.Volume} and
 * {@link berth.engine.volumes.PruneReport} serialise to the Docker Engine API's JSON.
 */
package berth.engine.volumes;
