package io.shardproxy.it.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of md5 and SCRAM-SHA-256 authentication (RFC 5802/7677, no channel binding),
 * so the fuzzer can answer the proxy's live challenge correctly and then mutate the answer.
 */
public final class AuthResponses {
    public static final String SCRAM = "SCRAM-SHA-256";

    private AuthResponses() {
    }

    /** PasswordMessage for md5: "md5" + md5(md5(password + user) + salt), as a String. */
    public static byte[] md5(String user, String password, byte[] salt) {
        String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
        byte[] outer = Frames.concat(inner.getBytes(StandardCharsets.US_ASCII), salt);
        return Frames.password(Frames.cstr("md5" + md5Hex(outer)));
    }

    private static String md5Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SCRAM exchange from the client's side. */
    public static final class Scram {
        private final String password;
        private final String clientFirstBare;
        private String serverFirst;

        public Scram(String password, String clientNonce) {
            this.password = password;
            this.clientFirstBare = "n=,r=" + clientNonce;
        }

        /** SASLInitialResponse: String mechanism, Int32 length, Byte[length] client-first-message. */
        public byte[] initialResponse() {
            byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
            return Frames.password(Frames.concat(Frames.cstr(SCRAM),
                    ByteBuffer.allocate(4).putInt(first.length).array(), first));
        }

        /** SASLResponse with the proof, for the server-first-message in AuthenticationSASLContinue. */
        public byte[] finalResponse(byte[] serverFirstMessage) {
            serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
            Map<String, String> attrs = new LinkedHashMap<>();
            for (String part : serverFirst.split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    attrs.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            String nonce = attrs.getOrDefault("r", "");
            byte[] salt;
            int iterations;
            try {
                salt = Base64.getDecoder().decode(attrs.getOrDefault("s", ""));
                iterations = Integer.parseInt(attrs.getOrDefault("i", "4096"));
            } catch (IllegalArgumentException e) {
                salt = new byte[0];
                iterations = 4096;
            }
            if (salt.length == 0 || iterations < 1) {
                // a garbled challenge: answer with something of the right shape, the proxy will refuse it
                salt = new byte[16];
                iterations = 1;
            }
            String withoutProof = "c=biws,r=" + nonce;
            try {
                byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, Math.min(iterations, 100_000), 256))
                        .getEncoded();
                byte[] clientKey = hmac(salted, "Client Key");
                byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
                String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                byte[] signature = hmac(storedKey, authMessage);
                byte[] proof = new byte[clientKey.length];
                for (int i = 0; i < proof.length; i++) {
                    proof[i] = (byte) (clientKey[i] ^ signature[i]);
                }
                String fin = withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
                return Frames.password(fin.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
    }
}
