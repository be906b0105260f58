package berth.engine;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Container IDs and names: 64 random hex digits, user names checked as Docker does, or Docker-style random names. */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] LEFT = {
            "admiring", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "brave", "busy", "charming",
            "clever", "compassionate", "confident", "cool", "dazzling", "determined", "eager", "ecstatic", "elastic",
            "elegant", "epic", "focused", "friendly", "gallant", "gifted", "happy", "hopeful", "inspiring", "jolly",
            "keen", "kind", "laughing", "loving", "modest", "nice", "nostalgic", "optimistic", "peaceful", "quirky",
            "relaxed", "serene", "sharp", "silly", "stoic", "tender", "trusting", "upbeat", "vibrant", "wizardly", "zen"};
    private static final String[] RIGHT = {
            "albattani", "archimedes", "babbage", "bell", "bohr", "cannon", "curie", "darwin", "dijkstra", "einstein",
            "euclid", "fermat", "feynman", "franklin", "galileo", "gauss", "goldberg", "hamilton", "hopper", "hypatia",
            "johnson", "kepler", "knuth", "lamport", "leakey", "lovelace", "mccarthy", "meitner", "mendel", "morse",
            "newton", "noether", "pascal", "pasteur", "perlman", "poincare", "ritchie", "shannon", "sinoussi", "tesla",
            "thompson", "torvalds", "turing", "villani", "wilson", "wozniak", "wright", "yalow", "yonath", "zhukovsky"};

    private Names() {}

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The name without its leading slash, or a 400 when Docker would refuse it. */
    public static String checkName(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw new EngineException.Invalid("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return n;
    }

    /** A random {@code adjective_surname} not yet taken (a digit is appended after a few collisions). */
    public static String random(Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String n = LEFT[RANDOM.nextInt(LEFT.length)] + "_" + RIGHT[RANDOM.nextInt(RIGHT.length)];
            if (attempt > 5) n += RANDOM.nextInt(10);
            if (!taken.test(n)) return n;
        }
    }
}
