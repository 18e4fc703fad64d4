package io.shardproxy.server.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ServerFinalMessage;
import com.ongres.scram.common.ServerFirstMessage;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.server.wire.SaslInitialResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), as PostgreSQL runs it:
 *
 * <pre>
 *   client                                         proxy
 *   SASLInitialResponse "n,,n=,r=cnonce"   --->    clientFirst()
 *                                          <---    AuthenticationSASLContinue "r=cnonce+snonce,s=salt,i=4096"
 *   SASLResponse "c=biws,r=...,p=proof"    --->    clientFinal()
 *                                          <---    AuthenticationSASLFinal "v=signature", then AuthenticationOk
 * </pre>
 *
 * Only the mechanism SCRAM-SHA-256 without channel binding: a gs2 flag of 'n' or 'y' is accepted,
 * 'p' and an authzid are refused. ('y' means "I could bind but you did not offer it"; that is true
 * while the proxy never advertises SCRAM-SHA-256-PLUS. If it ever does, 'y' over TLS must be
 * refused, as PostgreSQL does, or an attacker could strip the PLUS offer.) The user name inside client-first is ignored (libpq sends it
 * empty); the StartupMessage's user is the one that counts. Malformed messages are 08P01
 * {@link ShardProxyException}s; a proof, nonce or channel binding that does not match is an
 * {@link AuthenticationFailedException}, to be answered with 28P01.
 *
 * <p>The messages are parsed here rather than with scram-common's ClientFirstMessage, which refuses
 * the empty user name, and the AuthMessage is built from the exact bytes received; scram-common
 * supplies the crypto and the server message formats. One instance per connection, not thread-safe.
 */
public final class ScramServerExchange {
    /** The SASL mechanism name, for AuthenticationSASL and to check the SASLInitialResponse. */
    public static final String MECHANISM = ScramVerifier.PREFIX;
    /** Printable characters in the server's part of the nonce. */
    private static final int SERVER_NONCE_LENGTH = 24;

    private enum State { CLIENT_FIRST, CLIENT_FINAL, DONE }

    private final ScramVerifier verifier;
    private final boolean doomed;
    private final String serverNonce;

    private State state = State.CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String clientNonce;
    private String serverFirst;

    /** An exchange against a real user's verifier. */
    public ScramServerExchange(ScramVerifier verifier, SecureRandom random) {
        this(verifier, false, ScramFunctions.nonce(SERVER_NONCE_LENGTH, random));
    }

    private ScramServerExchange(ScramVerifier verifier, boolean doomed, String serverNonce) {
        this.verifier = verifier;
        this.doomed = doomed;
        this.serverNonce = serverNonce;
    }

    /**
     * An exchange for a user that does not exist, or has no SCRAM verifier: it answers like a real
     * one (with a salt derived from the user name and {@code processSecret}, stable for the process)
     * and fails only in {@link #clientFinal}, so a client cannot probe for user names. PostgreSQL
     * calls this "doomed" authentication. {@code processSecret} is random bytes made once per
     * process.
     */
    public static ScramServerExchange doomed(String user, byte[] processSecret, SecureRandom random) {
        return new ScramServerExchange(ScramVerifier.mock(user, processSecret), true,
                ScramFunctions.nonce(SERVER_NONCE_LENGTH, random));
    }

    /** For tests that replay a recorded exchange. */
    static ScramServerExchange withServerNonce(ScramVerifier verifier, String serverNonce) {
        return new ScramServerExchange(verifier, false, serverNonce);
    }

    /**
     * Checks the mechanism of a SASLInitialResponse and answers its client-first-message.
     *
     * @return the server-first-message, for AuthenticationSASLContinue
     */
    public byte[] clientFirst(SaslInitialResponse initial) {
        if (!MECHANISM.equals(initial.mechanism())) {
            throw new ShardProxyException(SqlState.PROTOCOL_VIOLATION,
                    "client selected an invalid SASL authentication mechanism");
        }
        if (initial.data() == null) {
            throw malformed("The SASLInitialResponse carries no client-first-message.");
        }
        return clientFirst(initial.data());
    }

    /**
     * Reads the client-first-message and answers it.
     *
     * <pre>
     * client-first-message = gs2-header client-first-message-bare
     * gs2-header           = ("n" / "y") "," "," ; no "p=cb-name", no authzid
     * client-first-message-bare = "n=" saslname "," "r=" c-nonce ["," extensions]
     * </pre>
     *
     * @return the server-first-message {@code r=<c-nonce><s-nonce>,s=<base64 salt>,i=<iterations>}
     */
    public byte[] clientFirst(byte[] clientFirstMessage) {
        expect(State.CLIENT_FIRST);
        state = State.DONE;
        String message = new String(clientFirstMessage, StandardCharsets.ISO_8859_1);
        char flag = message.isEmpty() ? 0 : message.charAt(0);
        if (flag == 'p') {
            throw malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
                    + "includes channel binding data.");
        }
        if (flag != 'n' && flag != 'y') {
            throw malformed("Unexpected channel-binding flag in client-first-message.");
        }
        if (message.length() < 2 || message.charAt(1) != ',') {
            throw malformed("Comma expected after the channel-binding flag.");
        }
        if (message.startsWith("a=", 2)) {
            throw new ShardProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                    "client uses authorization identity, but it is not supported");
        }
        if (message.length() < 3 || message.charAt(2) != ',') {
            throw malformed("Comma expected after the authorization identity.");
        }
        gs2Header = message.substring(0, 3);
        clientFirstBare = message.substring(3);
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            throw new ShardProxyException(SqlState.FEATURE_NOT_SUPPORTED,
                    "client requires an unsupported SCRAM extension");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw malformed("Expected \"n=<user>,r=<nonce>\" in client-first-message.");
        }
        clientNonce = attributes[1].substring(2);
        if (clientNonce.isEmpty() || !isPrintable(clientNonce)) {
            throw malformed("The client nonce is empty or contains invalid characters.");
        }
        requireExtensions(attributes, 2, attributes.length);
        serverFirst = new ServerFirstMessage(clientNonce, serverNonce,
                Base64.getEncoder().encodeToString(verifier.salt()), verifier.iterations()).toString();
        state = State.CLIENT_FINAL;
        return serverFirst.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the client-final-message, checks it, and answers with the server's signature.
     *
     * <pre>
     * client-final-message = "c=" base64(gs2-header) "," "r=" c-nonce s-nonce ["," extensions] "," "p=" base64(proof)
     * AuthMessage          = client-first-message-bare "," server-first-message "," client-final-message-without-proof
     * </pre>
     *
     * @return the server-final-message {@code v=<base64 ServerSignature>}, for AuthenticationSASLFinal
     * @throws AuthenticationFailedException when the channel binding, the nonce or the proof does
     *                                       not match, or the exchange is doomed
     */
    public byte[] clientFinal(byte[] clientFinalMessage) throws AuthenticationFailedException {
        expect(State.CLIENT_FINAL);
        state = State.DONE;
        String message = new String(clientFinalMessage, StandardCharsets.ISO_8859_1);
        String[] attributes = message.split(",", -1);
        if (attributes.length < 3 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw malformed("Expected \"c=<binding>,r=<nonce>,...,p=<proof>\" in client-final-message.");
        }
        String last = attributes[attributes.length - 1];
        if (!last.startsWith("p=")) {
            throw malformed("The proof must be the last attribute of client-final-message.");
        }
        requireExtensions(attributes, 2, attributes.length - 1);
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(last.substring(2));
        } catch (IllegalArgumentException e) {
            throw malformed("Malformed proof in client-final-message.");
        }
        if (proof.length != ScramVerifier.KEY_LENGTH) {
            throw malformed("Malformed proof in client-final-message.");
        }
        String withoutProof = message.substring(0, message.length() - last.length() - 1);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.ISO_8859_1);

        boolean bindingMatches = attributes[0].substring(2)
                .equals(Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.US_ASCII)));
        boolean nonceMatches = attributes[1].substring(2).equals(clientNonce + serverNonce);
        boolean proofVerifies = verifyProof(proof, authMessage);
        if (!bindingMatches) {
            throw new AuthenticationFailedException("SCRAM channel binding does not match client-first-message");
        }
        if (!nonceMatches) {
            throw new AuthenticationFailedException("SCRAM nonce does not match");
        }
        if (doomed) {
            throw new AuthenticationFailedException("no SCRAM verifier for this user (unknown user or other method)");
        }
        if (!proofVerifies) {
            throw new AuthenticationFailedException("SCRAM proof does not verify (wrong password)");
        }
        byte[] serverSignature = ScramFunctions.hmac(ScramVerifier.MECHANISM, verifier.serverKey(), authMessage);
        return new ServerFinalMessage(serverSignature).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /*
     * ClientSignature := HMAC(StoredKey, AuthMessage); ClientKey := ClientProof XOR ClientSignature;
     * the proof holds when H(ClientKey) = StoredKey. Compared in constant time, unlike
     * ScramFunctions.verifyClientProof.
     */
    private boolean verifyProof(byte[] proof, byte[] authMessage) {
        byte[] storedKey = verifier.storedKey();
        byte[] clientKey = ScramFunctions.hmac(ScramVerifier.MECHANISM, storedKey, authMessage);
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        return MessageDigest.isEqual(ScramFunctions.hash(ScramVerifier.MECHANISM, clientKey), storedKey);
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("SCRAM exchange expects " + expected + " but is in " + state);
        }
    }

    /** Extensions are ignored, as PostgreSQL does, but must look like attributes: a letter and '='. */
    private static void requireExtensions(String[] attributes, int from, int to) {
        for (int i = from; i < to; i++) {
            String a = attributes[i];
            char name = a.isEmpty() ? 0 : a.charAt(0);
            boolean letter = (name >= 'a' && name <= 'z') || (name >= 'A' && name <= 'Z');
            if (!letter || a.length() < 2 || a.charAt(1) != '=') {
                throw malformed("Malformed attribute in SCRAM message.");
            }
        }
    }

    /** RFC 5802 printable: %x21-2B / %x2D-7E, i.e. visible ASCII except ','. */
    private static boolean isPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    private static ShardProxyException malformed(String detail) {
        return new ShardProxyException(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message", detail, null);
    }
}
