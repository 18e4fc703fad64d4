package io.shardproxy.config;

/**
 * TLS for client connections: a PEM certificate chain and its PEM (PKCS#8) private key.
 *
 * @param certFile path of the certificate chain
 * @param keyFile  path of the private key
 */
public record TlsConfig(String certFile, String keyFile) {
}
