package io.sequencer.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Keys a local run needs and nobody should have to invent: each is created once, at random, in the project's
 * {@code .sequencer/} folder (beside Azurite's {@code .azurite/}, ignored by git) and read from there afterwards,
 * so links handed out survive a restart. A key given as a setting (local.settings.json, environment) wins.
 */
final class LocalKeys {
    static final String FOLDER = ".sequencer";
    /** The report link key's setting (ReportLinks.KEY_SETTING) and its file. */
    static final String REPORT_LINK_KEY_SETTING = "SEQUENCER_REPORT_LINK_KEY";
    static final String REPORT_LINK_KEY_FILE = "report-link.key";
    /** The admin key's setting (LocalHost.FUNCTION_KEY_SETTING) and its file. */
    static final String ADMIN_KEY_SETTING = LocalHost.FUNCTION_KEY_SETTING;
    static final String ADMIN_KEY_FILE = "admin.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalKeys() {}

    /** {@code settings} with every missing key filled in from, or newly created in, {@code projectDir}. */
    static Map<String, String> withKeys(Path projectDir, Map<String, String> settings) {
        Map<String, String> filled = new HashMap<>(settings);
        fill(filled, projectDir, REPORT_LINK_KEY_SETTING, REPORT_LINK_KEY_FILE);
        fill(filled, projectDir, ADMIN_KEY_SETTING, ADMIN_KEY_FILE);
        return filled;
    }

    private static void fill(Map<String, String> settings, Path projectDir, String setting, String file) {
        String given = settings.get(setting);
        if (given == null || given.isBlank()) {
            settings.put(setting, readOrCreate(projectDir.resolve(FOLDER).resolve(file)));
        }
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = new byte[48];
                RANDOM.nextBytes(key);
                // Written whole beside the target and moved in, so a reader never sees a half-written key.
                Path draft = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
                try {
                    Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the folder's own access rules apply.
                }
                Files.writeString(draft, Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\n",
                        StandardCharsets.US_ASCII);
                Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local key " + file, e);
        }
    }
}
