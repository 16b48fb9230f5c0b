package io.sequencer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The self-signed certificate that Azurite serves HTTPS with for an identity-based local run (Azurite accepts
 * bearer tokens over HTTPS only), made on first use with the JDK's keytool, for 127.0.0.1 and localhost. It is
 * trusted by nothing but the storage client of the process that is given {@link #pem()}.
 *
 * @param pfx the key and certificate, for Azurite's {@code --cert} with {@code --pwd}
 * @param password the password of {@code pfx}
 * @param pem the certificate alone, for {@code SEQUENCER_STORAGE_TRUSTED_CERTIFICATE}
 */
public record EmulatorCertificate(Path pfx, String password, Path pem) {
    private static final String ALIAS = "azurite";
    private static final long KEYTOOL_LIMIT_SECONDS = 60;

    /** The certificate kept in {@code folder}, made there when it has none. */
    public static EmulatorCertificate ensure(Path folder) {
        Path pfx = folder.resolve("azurite.pfx");
        Path passwordFile = folder.resolve("azurite.pwd");
        Path pem = folder.resolve("azurite.pem");
        try {
            if (!Files.isRegularFile(pfx) || !Files.isRegularFile(passwordFile) || !Files.isRegularFile(pem)) {
                Files.createDirectories(folder);
                Files.deleteIfExists(pfx);
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                String password = HexFormat.of().formatHex(random);
                keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3650",
                        "-storetype", "PKCS12", "-keystore", pfx.toString(), "-storepass", password, "-keypass", password);
                Files.writeString(pem, pemOf(pfx, password));
                Files.writeString(passwordFile, password);
            }
            return new EmulatorCertificate(pfx, Files.readString(passwordFile).trim(), pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the emulator's certificate in " + folder, e);
        }
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(KEYTOOL_LIMIT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the certificate", e);
        }
    }

    private static String pemOf(Path pfx, String password) throws IOException {
        try (InputStream in = Files.newInputStream(pfx)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            Certificate certificate = store.getCertificate(ALIAS);
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate just made in " + pfx, e);
        }
    }

    /** For ./run: makes the certificate in the folder given when it has none (azurite.pfx, .pwd and .pem). */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: EmulatorCertificate FOLDER");
        }
        ensure(Path.of(args[0]));
    }
}
