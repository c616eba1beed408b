package dev.hyperform.vars;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Files encrypted with ansible-vault (format 1.1/1.2, AES256): PBKDF2-HMAC-SHA256 (10,000 rounds) derives the
 * AES-256-CTR key, the HMAC-SHA256 key and the counter; the HMAC is checked before anything is decrypted. The
 * password comes from {@code --vault-password-file} or {@code HYPERFORM_VAULT_PASSWORD_FILE}. Every value read
 * from a vault file is remembered as secret, so the run's output redacts it.
 */
public final class Vault {
    public static final String HEADER = "$ANSIBLE_VAULT;";
    private static volatile char[] password;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Vault() {
    }

    public static boolean isVault(String text) {
        return text.startsWith(HEADER);
    }

    /** Use the first line of this file as the vault password. */
    public static void usePasswordFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            password = text.lines().findFirst().orElse("").toCharArray();
        } catch (java.io.IOException e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "cannot read the vault password file: " + e.getMessage(),
                    "give --vault-password-file a readable file whose first line is the password");
        }
    }

    /** Values that came out of vault files (for redaction). */
    public static Set<String> secrets() {
        return SECRETS;
    }

    public static void remember(String value) {
        if (value != null && value.length() >= 3) {
            SECRETS.add(value);
        }
    }

    /** Decrypt an ansible-vault file's text. */
    public static String decrypt(String text, Path file) {
        if (password == null) {
            String env = System.getenv("HYPERFORM_VAULT_PASSWORD_FILE");
            if (env != null) {
                usePasswordFile(Path.of(env));
            } else {
                throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "encrypted with ansible-vault, and no vault password was given",
                        "pass --vault-password-file FILE (or set HYPERFORM_VAULT_PASSWORD_FILE)");
            }
        }
        String[] lines = text.strip().split("\n");
        String[] header = lines[0].strip().split(";");
        if (header.length < 3 || !header[2].equals("AES256")) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file, 1, 1), "unsupported vault header '" + lines[0] + "'",
                    "only $ANSIBLE_VAULT;1.1;AES256 and 1.2 are supported");
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            hex.append(lines[i].strip());
        }
        try {
            String inner = new String(HexFormat.of().parseHex(hex.toString()), StandardCharsets.US_ASCII);
            String[] parts = inner.split("\n");
            byte[] salt = HexFormat.of().parseHex(parts[0].strip());
            byte[] hmac = HexFormat.of().parseHex(parts[1].strip());
            byte[] cipherText = HexFormat.of().parseHex(parts[2].strip());
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, 10_000, 80 * 8)).getEncoded();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Arrays.copyOfRange(derived, 32, 64), "HmacSHA256"));
            if (!MessageDigest.isEqual(mac.doFinal(cipherText), hmac)) {
                throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "the vault password does not open this file (HMAC mismatch)",
                        "check --vault-password-file; nothing was decrypted");
            }
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(derived, 0, 32), "AES"),
                    new IvParameterSpec(Arrays.copyOfRange(derived, 64, 80)));
            byte[] padded = aes.doFinal(cipherText);
            int pad = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
            if (pad < 1 || pad > 16 || pad > padded.length) {
                throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "the vault file is damaged (bad padding)", "re-encrypt it");
            }
            return new String(padded, 0, padded.length - pad, StandardCharsets.UTF_8);
        } catch (HyperformException e) {
            throw e;
        } catch (Exception e) {
            throw new HyperformException(Failure.INVALID_INPUT, Location.of(file), "cannot decrypt the vault file: " + e.getMessage(),
                    "is it an ansible-vault file? re-encrypt it with ansible-vault encrypt");
        }
    }
}
