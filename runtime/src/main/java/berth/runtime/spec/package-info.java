/**
 * The OCI runtime configuration ({@code config.json}) as validated records. {@link berth.runtime.spec.SpecParser}
 * turns parsed JSON into a {@link berth.runtime.spec.Spec} and rejects anything malformed with one line naming
 * the field; {@link berth.runtime.spec.SpecValidator} then checks the rules that span fields (a hostname needs a
 * UTS namespace, id maps need a user namespace, ...), before any system call is made.
 */
package berth.runtime.spec;
