package nl.aware.core.admin;

import nl.aware.core.carrier.CarrierProfile;
import nl.aware.core.event.Event;
import nl.aware.core.event.Region;
import nl.aware.core.log.LogRecord;
import nl.aware.core.pki.CertificateAuthority;
import nl.aware.core.pki.DeviceCsr;
import nl.aware.core.pki.DeviceIds;
import nl.aware.core.pki.IssuedCredential;
import nl.aware.core.pki.PkiException;
import nl.aware.core.state.CarrierRegistry;
import nl.aware.core.state.DeviceRegistry;
import nl.aware.core.state.ServerState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Kadera's administrative acts on a running server (DESIGN promise 7), the one place for their rules,
 * used by the staff API and by the {@code aware} commands in their offline mode. Each act checks the
 * state, then appends its events through the log's single writer, in an order whose every prefix is
 * safe should the process die half-way (see each method). The projections apply them wherever the log
 * is replayed or followed, so an act takes effect at once on every node.
 *
 * <p>Acts run one at a time on a thread of their own (check, then append, never interleaved; the CA's
 * signing never runs on the log's writer thread). Futures complete there.
 */
public final class Administration implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Short operational reasons only: they are stored in clear. */
    static final int MAX_REASON = 200;

    private final Function<Event, CompletableFuture<LogRecord>> recorder;
    private final ServerState state;
    private final CertificateAuthority ca;
    private final Duration deviceValidity;
    private final ExecutorService acts = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "aware-administration");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param recorder       appends an event through the log's writer; completes once durable and applied
     * @param ca             the device CA (the data directory's pki); null: devices cannot be handed out here
     * @param deviceValidity how long a device certificate is valid
     */
    public Administration(Function<Event, CompletableFuture<LogRecord>> recorder, ServerState state,
                          CertificateAuthority ca, Duration deviceValidity) {
        this.recorder = recorder;
        this.state = state;
        this.ca = ca;
        this.deviceValidity = deviceValidity;
    }

    /** Registers a carrier after intake: the five eligibility facts and the region checked ({@link CarrierRegistration}). */
    public CompletableFuture<UUID> registerCarrier(Region region, CarrierProfile profile) {
        return act(() -> {
            Event.CarrierRegistered registration;
            try {
                registration = CarrierRegistration.of(region, profile);
            } catch (IllegalArgumentException e) {
                throw new AdministrationException(AdministrationException.Kind.INVALID, e.getMessage());
            }
            append(registration);
            return registration.carrierId();
        });
    }

    /** Replaces what the police are told; the intake's eligibility stays as registered (that of {@code profile} is ignored). */
    public CompletableFuture<Void> updateProfile(UUID carrierId, CarrierProfile profile) {
        return act(() -> {
            CarrierProfile.Eligibility registered = activeCarrier(carrierId).profile().eligibility();
            append(new Event.CarrierProfileUpdated(carrierId, new CarrierProfile(profile.name(), profile.phone(),
                    profile.photoReference(), profile.threatDescription(), profile.aggressorDescription(),
                    profile.policeNotes(), registered)));
            return null;
        });
    }

    /**
     * Records whether the carrier agrees that the device records sound by itself after a press (issue 14). Takes
     * effect for the next AUDIO frame: a recording in progress without consent is refused from then on.
     */
    public CompletableFuture<Void> setRecordingConsent(UUID carrierId, boolean recordsAfterPress) {
        return act(() -> {
            activeCarrier(carrierId);
            append(new Event.RecordingConsentSet(carrierId, recordsAfterPress));
            return null;
        });
    }

    /**
     * Ends a carrier's participation: each active device is revoked first, then the end is recorded, so a
     * crash half-way leaves devices refused rather than an ended carrier whose device still raises alarms.
     */
    public CompletableFuture<Void> endParticipation(UUID carrierId, String reason) {
        return act(() -> {
            String why = reason(reason);
            activeCarrier(carrierId);
            for (long deviceId : state.carriers().devicesOf(carrierId)) {
                if (state.devices().find(deviceId).filter(d -> !d.revoked()).isPresent()) {
                    append(new Event.DeviceRevoked(deviceId, "participation ended: " + why));
                }
            }
            append(new Event.CarrierEnded(carrierId, why));
            return null;
        });
    }

    /**
     * Hands a new device to a carrier: a certificate for the device's own key (CSR) or a one-time PKCS#12.
     * Enrolment, then assignment: a crash between them leaves an enrolled device that no one holds yet
     * (its certificate never left the server), never a device with another carrier's profile.
     */
    public CompletableFuture<Handout> handOut(UUID carrierId, long deviceId, DeviceRequest request) {
        return act(() -> {
            CarrierRegistry.Carrier carrier = activeCarrier(carrierId);
            freshDeviceId(deviceId);
            return enrolAndAssign(carrier, deviceId, request);
        });
    }

    /**
     * Replaces a carrier's device by a new one in one act: the new device is enrolled and assigned, then the
     * old one revoked. A crash half-way leaves the carrier with both (never with none).
     */
    public CompletableFuture<Handout> replace(long oldDeviceId, long newDeviceId, DeviceRequest request, String reason) {
        return act(() -> {
            String why = reason == null || reason.isBlank() ? "" : ": " + reason(reason);
            activeDevice(oldDeviceId);
            CarrierRegistry.Carrier carrier = state.carriers().ofDevice(oldDeviceId).orElseThrow(() ->
                    new AdministrationException(AdministrationException.Kind.CONFLICT, "device "
                            + DeviceIds.format(oldDeviceId) + " was handed to no carrier; hand out a device instead"));
            if (carrier.ended()) {
                throw conflict("the participation of carrier " + carrier.carrierId() + " has ended");
            }
            freshDeviceId(newDeviceId);
            Handout handout = enrolAndAssign(carrier, newDeviceId, request);
            append(new Event.DeviceRevoked(oldDeviceId, "replaced by " + DeviceIds.format(newDeviceId) + why));
            return handout;
        });
    }

    /** Revokes a device: its next frame is refused and (in a gateway) its open connections are closed. */
    public CompletableFuture<Void> revoke(long deviceId, String reason) {
        return act(() -> {
            String why = reason(reason);
            activeDevice(deviceId);
            append(new Event.DeviceRevoked(deviceId, why));
            return null;
        });
    }

    private Handout enrolAndAssign(CarrierRegistry.Carrier carrier, long deviceId, DeviceRequest request) {
        if (ca == null) {
            throw new AdministrationException(AdministrationException.Kind.UNAVAILABLE,
                    "this server holds no device CA key, so it cannot issue device certificates");
        }
        X509Certificate certificate;
        byte[] pkcs12 = null;
        char[] password = null;
        if (request instanceof DeviceRequest.Csr csr) {
            try {
                certificate = ca.issueDevice(deviceId, DeviceCsr.verifiedKey(csr.pem(), deviceId), deviceValidity);
            } catch (PkiException e) {
                throw new AdministrationException(AdministrationException.Kind.INVALID, e.getMessage());
            }
        } else {
            IssuedCredential credential = ca.issueDevice(deviceId, deviceValidity);
            certificate = credential.certificate();
            password = newPassword();
            pkcs12 = pkcs12(credential, password, DeviceIds.format(deviceId));
        }
        try {
            append(new Event.DeviceEnrolled(deviceId, carrier.region(), certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate just issued cannot be encoded", e);
        }
        append(new Event.DeviceAssigned(deviceId, carrier.carrierId()));
        return new Handout(deviceId, certificate, ca.certificate(), pkcs12, password);
    }

    private CarrierRegistry.Carrier activeCarrier(UUID carrierId) {
        CarrierRegistry.Carrier carrier = state.carriers().find(carrierId).orElseThrow(() ->
                new AdministrationException(AdministrationException.Kind.NOT_FOUND, "no carrier " + carrierId));
        if (carrier.ended()) {
            throw conflict("the participation of carrier " + carrierId + " has ended");
        }
        return carrier;
    }

    private DeviceRegistry.Device activeDevice(long deviceId) {
        DeviceRegistry.Device device = state.devices().find(deviceId).orElseThrow(() ->
                new AdministrationException(AdministrationException.Kind.NOT_FOUND, "no enrolled device "
                        + DeviceIds.format(deviceId)));
        if (device.revoked()) {
            throw conflict("device " + DeviceIds.format(deviceId) + " is revoked already");
        }
        return device;
    }

    /** A device id is used once: a revoked or superseded id never comes back (its counters and history are its own). */
    private void freshDeviceId(long deviceId) {
        if (state.devices().find(deviceId).isPresent()) {
            throw conflict("device id " + DeviceIds.format(deviceId) + " is taken already; every device has its own id");
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new AdministrationException(AdministrationException.Kind.INVALID,
                    "a reason is needed (e.g. 'reported lost'); never a name or an address");
        }
        if (reason.length() > MAX_REASON) {
            throw new AdministrationException(AdministrationException.Kind.INVALID,
                    "the reason is longer than " + MAX_REASON + " characters; keep it short and operational");
        }
        return reason.strip();
    }

    private static AdministrationException conflict(String message) {
        return new AdministrationException(AdministrationException.Kind.CONFLICT, message);
    }

    /** Appends and waits until durable (on the acts' own thread, never the writer's). */
    private void append(Event event) {
        try {
            recorder.apply(event).join();
        } catch (CompletionException e) {
            throw new AdministrationException(AdministrationException.Kind.UNAVAILABLE,
                    "the event log did not take the change (" + event.getClass().getSimpleName() + "); retry");
        }
    }

    private <T> CompletableFuture<T> act(Supplier<T> act) {
        return CompletableFuture.supplyAsync(act, acts);
    }

    /** 20 characters from a 32-letter alphabet without look-alikes: 100 bits, readable aloud. */
    private static char[] newPassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789A";
        char[] password = new char[20];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(RANDOM.nextInt(32));
        }
        return password;
    }

    private static byte[] pkcs12(IssuedCredential credential, char[] password, String alias) {
        try {
            KeyStore store = credential.toKeyStore(password, alias);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot pack a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        acts.shutdown();
    }
}
