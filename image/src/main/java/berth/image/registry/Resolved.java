package berth.image.registry;

import berth.image.Descriptor;
import berth.image.Reference;

/**
 * A reference resolved against its registry.
 *
 * @param ref        the reference asked for
 * @param descriptor the manifest's (or index's) media type, digest (verified, over {@code manifest}) and size
 * @param manifest   the manifest or index exactly as the registry sent it
 */
public record Resolved(Reference ref, Descriptor descriptor, byte[] manifest) {}
