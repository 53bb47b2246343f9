package nl.aware.core.state;

import nl.aware.core.staff.AccessOutcome;
import nl.aware.core.staff.StaffRole;
import nl.aware.core.event.Event;
import nl.aware.core.log.LogRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Staff accounts and the recent access trail, rebuilt from the log like every projection. Account
 * changes and trail entries are events; nothing here is written anywhere else.
 *
 * <p>The trail kept in memory is the newest {@link #TRAIL_CAPACITY} entries (about 20 MB at most);
 * the log holds the whole trail for as long as the log is kept (docs/staff-api.md).
 */
public final class StaffDirectory {
    /** Lower-case letters, digits, '.', '_', '-'; 2..64 characters. Names are never personal data of carriers. */
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{2,64}");
    public static final int TRAIL_CAPACITY = 100_000;

    /** One account. {@code passwordHash} is Argon2id (PHC string); {@link #toString()} leaves it out. */
    public record Account(String username, StaffRole role, String passwordHash, boolean enabled, long createdAtMs,
                          String createdBy) {
        @Override
        public String toString() {
            return "Account[" + username + ", " + role.label() + (enabled ? "" : ", disabled") + "]";
        }
    }

    /**
     * One line of the access trail: an access event, or an account change (with {@code username} the
     * administrator who made it and {@code subject} the account).
     */
    public record TrailEntry(long sequence, long atMs, String username, String source, String action, String subject,
                             AccessOutcome outcome) {
    }

    /**
     * An account's second factor: the TOTP secret, the hashes of its recovery codes and which are spent,
     * the last TOTP step used (never accepted again). {@link #toString()} leaves the secret out.
     */
    public record SecondFactor(byte[] secret, List<String> recoveryHashes, java.util.Set<Integer> usedRecoveryCodes,
                               long lastStep, long enrolledAtMs) {
        public int recoveryCodesLeft() {
            return recoveryHashes.size() - usedRecoveryCodes.size();
        }

        @Override
        public String toString() {
            return "SecondFactor[" + recoveryCodesLeft() + " recovery codes left]";
        }
    }

    /**
     * Who reset an account's password or second factor since it last enrolled one (empty: nobody). One
     * administrator may do one of the two, never both: otherwise they could sign in as the person.
     */
    public record Resets(String passwordBy, String secondFactorBy) {
        static final Resets NONE = new Resets("", "");
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, SecondFactor> secondFactors = new ConcurrentHashMap<>();
    private final Map<String, Resets> resets = new ConcurrentHashMap<>();
    /** The regions each operator account serves (other roles have none). */
    private final Map<String, java.util.Set<nl.aware.core.event.Region>> operatorRegions = new ConcurrentHashMap<>();
    private final Deque<TrailEntry> trail = new ArrayDeque<>();

    /** The reason a name cannot be an account name, or null when it can. */
    public static String invalidUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return "an account name has 2 to 64 characters: lower-case letters, digits, '.', '_' or '-'";
        }
        return null;
    }

    /** Applies a durable event (replay and live alike, in log order). Other events are ignored. */
    public void apply(LogRecord record, Event event) {
        if (event instanceof Event.StaffAccountCreated created) {
            accounts.put(created.username(), new Account(created.username(), created.role(), created.passwordHash(),
                    true, created.atMs(), created.by()));
            resets.put(created.username(), new Resets(created.by(), ""));
            remember(new TrailEntry(record.sequence(), created.atMs(), created.by(), "", "account.create",
                    created.username(), AccessOutcome.ALLOWED));
        } else if (event instanceof Event.StaffPasswordChanged changed) {
            accounts.computeIfPresent(changed.username(), (name, a) -> new Account(name, a.role(),
                    changed.passwordHash(), a.enabled(), a.createdAtMs(), a.createdBy()));
            remember(new TrailEntry(record.sequence(), changed.atMs(), changed.by(), "", "account.password",
                    changed.username(), AccessOutcome.ALLOWED));
            if (!changed.by().equals(changed.username())) {
                resets.merge(changed.username(), new Resets(changed.by(), ""),
                        (old, fresh) -> new Resets(changed.by(), old.secondFactorBy()));
            }
        } else if (event instanceof Event.StaffSecondFactorEnrolled enrolled) {
            secondFactors.put(enrolled.username(), new SecondFactor(enrolled.secret().clone(),
                    List.copyOf(enrolled.recoveryHashes()), java.util.Set.of(), enrolled.step(), enrolled.atMs()));
            resets.remove(enrolled.username());
            remember(new TrailEntry(record.sequence(), enrolled.atMs(), enrolled.username(), "", "account.enrol",
                    enrolled.username(), AccessOutcome.ALLOWED));
        } else if (event instanceof Event.StaffSecondFactorUsed used) {
            secondFactors.computeIfPresent(used.username(), (name, f) -> new SecondFactor(f.secret(), f.recoveryHashes(),
                    f.usedRecoveryCodes(), Math.max(f.lastStep(), used.step()), f.enrolledAtMs()));
        } else if (event instanceof Event.StaffRecoveryCodeUsed used) {
            secondFactors.computeIfPresent(used.username(), (name, f) -> {
                java.util.Set<Integer> spent = new java.util.HashSet<>(f.usedRecoveryCodes());
                spent.add(used.index());
                return new SecondFactor(f.secret(), f.recoveryHashes(), java.util.Set.copyOf(spent), f.lastStep(),
                        f.enrolledAtMs());
            });
        } else if (event instanceof Event.StaffSecondFactorReset reset) {
            secondFactors.remove(reset.username());
            resets.merge(reset.username(), new Resets("", reset.by()),
                    (old, fresh) -> new Resets(old.passwordBy(), reset.by()));
            remember(new TrailEntry(record.sequence(), reset.atMs(), reset.by(), "", "account.second-factor-reset",
                    reset.username(), AccessOutcome.ALLOWED));
        } else if (event instanceof Event.StaffAccountDisabled disabled) {
            accounts.computeIfPresent(disabled.username(), (name, a) -> new Account(name, a.role(),
                    a.passwordHash(), false, a.createdAtMs(), a.createdBy()));
            remember(new TrailEntry(record.sequence(), disabled.atMs(), disabled.by(), "", "account.disable",
                    disabled.username(), AccessOutcome.ALLOWED));
        } else if (event instanceof Event.OperatorRegionsSet set) {
            operatorRegions.put(set.username(), set.regions());
            remember(new TrailEntry(record.sequence(), set.atMs(), set.by(), "", "account.regions", set.username(),
                    AccessOutcome.ALLOWED));
        } else if (event instanceof Event.StaffAccess access) {
            remember(new TrailEntry(record.sequence(), access.atMs(), access.username(), access.source(),
                    access.action(), access.subject(), access.outcome()));
        }
    }

    private synchronized void remember(TrailEntry entry) {
        if (trail.size() == TRAIL_CAPACITY) {
            trail.removeFirst();
        }
        trail.addLast(entry);
    }

    /** The account's second factor; empty until it has enrolled one (or after a reset). */
    public Optional<SecondFactor> secondFactor(String username) {
        return Optional.ofNullable(secondFactors.get(username));
    }

    /** Who reset the account's password or second factor since its last enrolment. */
    public Resets resets(String username) {
        return resets.getOrDefault(username, Resets.NONE);
    }

    public Optional<Account> find(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    /** Every account, by name. */
    public List<Account> accounts() {
        List<Account> all = new ArrayList<>(accounts.values());
        all.sort(Comparator.comparing(Account::username));
        return all;
    }

    /** The regions an operator account serves; empty for other accounts and for an operator given none. */
    public java.util.Set<nl.aware.core.event.Region> regionsOf(String username) {
        return operatorRegions.getOrDefault(username, java.util.Set.of());
    }

    public boolean hasEnabledAdministrator() {
        return accounts.values().stream().anyMatch(a -> a.enabled() && a.role() == StaffRole.ADMINISTRATOR);
    }

    /** Trail entries matching {@code filter}, newest first, at most {@code limit}. */
    public synchronized List<TrailEntry> trail(Predicate<TrailEntry> filter, int limit) {
        List<TrailEntry> found = new ArrayList<>();
        var newestFirst = trail.descendingIterator();
        while (newestFirst.hasNext() && found.size() < limit) {
            TrailEntry entry = newestFirst.next();
            if (filter.test(entry)) {
                found.add(entry);
            }
        }
        return found;
    }
}
