/**
 * Reading configuration JSON (the OCI config.json, its seccomp object, Docker's seccomp profile) as plain
 * Java values with errors that name the field: {@link berth.runtime.json.Fields}. One reader serves every
 * parser, so the same mistake gets the same message wherever it is made.
 */
package berth.runtime.json;
