/**
 * The engine: berth's daemon. It serves the Docker Engine API on a unix socket and composes the image
 * store, the runtime and the network layer into containers that users manage with the docker CLI,
 * docker-compose, Testcontainers or bin/berth.
 */
package berth.engine;
