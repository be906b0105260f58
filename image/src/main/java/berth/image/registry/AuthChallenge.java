package berth.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code Bearer}, {@code Basic})
 * and its parameters, names lowercased, e.g. {@code Bearer realm="https://auth/token",service="registry"}.
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    AuthChallenge {
        params = Map.copyOf(params);
    }

    boolean is(String s) {
        return scheme.equalsIgnoreCase(s);
    }

    String param(String name) {
        return params.get(name);
    }

    /** Every challenge in the given header values, in order. */
    static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> out = new ArrayList<>();
        for (String v : headerValues) out.addAll(parse(v));
        return out;
    }

    /** Every challenge in one header value ({@code Bearer realm="a",scope="b", Basic realm="c"}). */
    static List<AuthChallenge> parse(String header) {
        Lexer in = new Lexer(header);
        List<AuthChallenge> out = new ArrayList<>();
        while (true) {
            in.skip(" \t,");
            if (in.atEnd()) return out;
            String scheme = in.token();
            if (scheme.isEmpty()) {
                in.pos++; // a stray character: skip it rather than stop
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                in.skip(" \t");
                int mark = in.pos;
                String name = in.token();
                in.skip(" \t");
                if (name.isEmpty() || !in.take('=')) {
                    in.pos = mark; // the next challenge's scheme (or a token68, which registries do not use)
                    break;
                }
                in.skip(" \t");
                params.put(name.toLowerCase(Locale.ROOT), in.peek('"') ? in.quoted() : in.token());
                in.skip(" \t");
                if (!in.take(',')) break;
            }
            out.add(new AuthChallenge(scheme, params));
        }
    }

    private static final class Lexer {
        private final String s;
        int pos;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        boolean take(char c) {
            if (!peek(c)) return false;
            pos++;
            return true;
        }

        void skip(String chars) {
            while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) pos++;
        }

        /** An RFC 7230 token (letters, digits and {@code !#$%&'*+-.^_`|~}). */
        String token() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "!#$%&'*+-.^_`|~/:".indexOf(s.charAt(pos)) >= 0)) pos++;
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length() && s.charAt(pos) != '"') {
                if (s.charAt(pos) == '\\' && pos + 1 < s.length()) pos++;
                b.append(s.charAt(pos++));
            }
            pos++; // closing quote (or past the end of an unterminated string)
            return b.toString();
        }
    }
}
