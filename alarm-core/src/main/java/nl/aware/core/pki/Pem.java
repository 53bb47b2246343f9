package nl.aware.core.pki;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding of certificates and private keys. Certificates are returned as JDK
 * {@link X509Certificate}s and keys as JDK keys (from the default providers), so they can be used
 * directly with JDK TLS and Netty.
 */
public final class Pem {
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** A "CERTIFICATE" PEM block, newline-terminated. */
    public static String encode(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 "PRIVATE KEY" PEM block, newline-terminated. The result is secret: never log it. */
    public static String encode(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equalsIgnoreCase(key.getFormat())) {
            throw new IllegalArgumentException("private key (" + key.getAlgorithm() + ") is not exportable as PKCS#8");
        }
        return block("PRIVATE KEY", der);
    }

    /** The first certificate in a PEM file (other PEM blocks are skipped). */
    public static X509Certificate readCertificate(Path file) throws PkiException {
        return readCertificates(file).get(0);
    }

    /** All certificates in a PEM file, in file order; at least one, else {@link PkiException}. */
    public static List<X509Certificate> readCertificates(Path file) throws PkiException {
        Objects.requireNonNull(file, "file");
        List<X509Certificate> result = new ArrayList<>();
        try (Reader reader = open(file, "certificate"); PEMParser parser = new PEMParser(reader)) {
            Object obj;
            while ((obj = parser.readObject()) != null) {
                if (obj instanceof X509CertificateHolder holder) {
                    result.add(CertificateDer.parse(holder.getEncoded()));
                }
            }
        } catch (PkiException e) {
            throw e;
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PkiException("certificate file " + file + " is not valid PEM: " + describe(e), e);
        }
        if (result.isEmpty()) {
            throw new PkiException("certificate file " + file
                    + " contains no PEM certificate (expected a \"-----BEGIN CERTIFICATE-----\" block)");
        }
        return result;
    }

    /**
     * The first private key in a PEM file: unencrypted PKCS#8 ("PRIVATE KEY") or SEC1
     * ("EC PRIVATE KEY"). Encrypted keys are rejected with a message saying so.
     */
    public static PrivateKey readPrivateKey(Path file) throws PkiException {
        Objects.requireNonNull(file, "file");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = open(file, "private key"); PEMParser parser = new PEMParser(reader)) {
            Object obj;
            while ((obj = parser.readObject()) != null) {
                if (obj instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (obj instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (obj instanceof PKCS8EncryptedPrivateKeyInfo || obj instanceof PEMEncryptedKeyPair) {
                    throw new PkiException("private key file " + file
                            + " holds an encrypted key; only unencrypted PKCS#8 or EC keys are supported");
                }
            }
        } catch (PkiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Deliberately not including parser detail that could echo key bytes.
            throw new PkiException("private key file " + file + " is not a valid PEM private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        throw new PkiException("private key file " + file + " contains no PEM private key (expected a"
                + " \"-----BEGIN PRIVATE KEY-----\" or \"-----BEGIN EC PRIVATE KEY-----\" block)");
    }

    private static Reader open(Path file, String what) throws PkiException {
        try {
            if (Files.isDirectory(file)) {
                throw new PkiException(what + " file " + file + " is a directory, not a file");
            }
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new PkiException(what + " file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new PkiException(what + " file " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new PkiException(what + " file " + file + " cannot be read: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
