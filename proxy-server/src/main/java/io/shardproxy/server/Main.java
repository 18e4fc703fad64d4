package io.shardproxy.server;

import io.shardproxy.config.ConfigException;
import io.shardproxy.config.ConfigLoader;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.server.auth.PasswordTool;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The command line:
 * <pre>
 *   shardproxy run --config proxy.yaml     start the proxy
 *   shardproxy check --config proxy.yaml   validate a config and exit
 *   shardproxy passwd USER                 read a password, print its SCRAM verifier and md5 secret
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "run":
            case "check": {
                Path config = configPath(args);
                ProxyConfig c;
                try {
                    c = ConfigLoader.load(config);
                } catch (ConfigException e) {
                    System.err.println("shardproxy: invalid config: " + e.getMessage());
                    System.exit(2);
                    return;
                }
                if (command.equals("check")) {
                    System.out.println("config OK: " + c.shards().size() + " shards, " + c.shardedTables().size()
                            + " sharded tables, " + c.referenceTables().size() + " reference tables");
                    return;
                }
                ShardProxyServer server;
                try {
                    server = ShardProxyServer.start(c);
                } catch (RuntimeException e) {
                    System.err.println("shardproxy: " + e.getMessage());
                    System.exit(1);
                    return;
                }
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }, "shardproxy-shutdown"));
                stopped.await();
                return;
            }
            case "passwd": {
                if (args.length < 2) {
                    usage();
                    return;
                }
                String password = readPassword();
                System.out.println("scram-sha-256 secret: " + PasswordTool.scramVerifier(password));
                System.out.println("md5 secret:           " + PasswordTool.md5(args[1], password));
                return;
            }
            default:
                usage();
        }
    }

    private static Path configPath(String[] args) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--config") || args[i].equals("-c")) {
                return Path.of(args[i + 1]);
            }
        }
        usage();
        System.exit(2);
        return null;
    }

    private static String readPassword() throws Exception {
        Console console = System.console();
        if (console != null) {
            char[] p = console.readPassword("password: ");
            return new String(p);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? "" : line;
    }

    private static void usage() {
        System.err.println(String.join("\n",
                "usage: shardproxy run --config FILE     start the proxy",
                "       shardproxy check --config FILE   validate a config",
                "       shardproxy passwd USER           print secrets for a password read from the terminal or stdin"));
    }
}
