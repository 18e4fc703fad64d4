package io.shardproxy.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces environment references in one YAML string value: {@code ${NAME}} by the variable's
 * value, {@code ${NAME:-default}} by the value or, when the variable is unset or empty, the default
 * (as the shell does). <code>$${</code> stands for a literal <code>${</code>; any other {@code $} is
 * literal. Substituted text is not scanned again, so a value never expands into another reference.
 *
 * <p>Errors name the variable but never quote the value being substituted, which may be a secret.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvSubstitution() {
    }

    /**
     * @param text   the value as written in YAML
     * @param env    environment variables
     * @param source source name, for errors
     * @param path   key path of the value, for errors
     * @return the value with every reference replaced
     * @throws ConfigException for an unset variable without default or a malformed reference
     */
    static String resolve(String text, Map<String, String> env, String source, String path) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new ConfigException(source, path,
                            "unterminated \"${\" (write \"$${\" for a literal \"${\")");
                }
                out.append(lookUp(text.substring(i + 2, close), env, source, path));
                i = close + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private static String lookUp(String reference, Map<String, String> env, String source, String path) {
        int dflt = reference.indexOf(":-");
        String name = dflt < 0 ? reference : reference.substring(0, dflt);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(source, path, "malformed environment reference inside \"${...}\""
                    + " (expected ${NAME} or ${NAME:-default}; NAME is letters, digits and _)");
        }
        String value = env.get(name);
        if (dflt >= 0) {
            return value == null || value.isEmpty() ? reference.substring(dflt + 2) : value;
        }
        if (value == null) {
            throw new ConfigException(source, path, "environment variable " + name
                    + " is not set (set it, or write ${" + name + ":-default} to give a default)");
        }
        return value;
    }
}
