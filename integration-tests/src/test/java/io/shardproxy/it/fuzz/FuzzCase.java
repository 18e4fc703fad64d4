package io.shardproxy.it.fuzz;

import java.util.List;

/**
 * One fuzz case, fully determined by the seed and its number: how the client logs in, the bytes
 * it sends once logged in, and how it leaves. Live authentication steps (md5, SCRAM) compute
 * their answer from the proxy's challenge and then apply the mutation their own seed gives.
 *
 * @param auth     null for a plain trust login (the cheap path), else the startup steps to play
 * @param messages bytes to send after authentication (mutated), possibly empty
 * @param leave    how the client ends a connection that is still in sync
 */
public record FuzzCase(long seed, int number, String base, User user, List<AuthStep> auth, byte[] messages,
                       List<String> mutations, Leave leave) {

    /** A user the proxy knows (or not), with how it authenticates. */
    public record User(String name, String password, Method method) {
        public enum Method { TRUST, MD5, SCRAM, UNKNOWN }
    }

    /** One step of the startup phase. */
    public sealed interface AuthStep permits Send, Md5Answer, ScramFirst, ScramFinal {
    }

    /** Bytes sent as they are (an untyped packet, a recorded or mutated password message...). */
    public record Send(byte[] bytes) implements AuthStep {
    }

    /** Waits for AuthenticationMD5Password, answers it; mutates the answer when {@code mutationSeed} is set. */
    public record Md5Answer(Long mutationSeed) implements AuthStep {
    }

    /** Waits for AuthenticationSASL, sends SASLInitialResponse (mutated when the seed is set). */
    public record ScramFirst(Long mutationSeed) implements AuthStep {
    }

    /** Waits for AuthenticationSASLContinue, sends the client-final-message (mutated when the seed is set). */
    public record ScramFinal(Long mutationSeed) implements AuthStep {
    }

    public enum Leave { TERMINATE, HALF_CLOSE, CLOSE, RESET }

    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("case ").append(number).append(" (seed ").append(seed).append("), base stream ").append(base)
                .append(", user ").append(user.name()).append(" (").append(user.method()).append(")");
        if (auth != null) {
            s.append(", startup steps ").append(auth.stream().map(a -> a.getClass().getSimpleName()).toList());
        }
        s.append(", leave ").append(leave).append('\n');
        for (String m : mutations) {
            s.append("  - ").append(m).append('\n');
        }
        return s.toString();
    }
}
