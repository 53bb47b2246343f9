package nl.aware.web.staff;

import nl.aware.core.state.StaffDirectory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The single-use rule between a code's check and its event being durable: a TOTP step or a
 * recovery code is claimed here first, so two requests racing with the same code cannot both win.
 * What the log holds ({@link StaffDirectory#secondFactor}) is the rule after that, across restarts.
 */
final class SecondFactorClaims {
    private final StaffDirectory directory;
    private final Map<String, Long> steps = new HashMap<>();
    private final Set<String> recoveryCodes = new HashSet<>();

    SecondFactorClaims(StaffDirectory directory) {
        this.directory = directory;
    }

    /** The last step that may not be used again by the account. */
    synchronized long lastStep(String username) {
        long durable = directory.secondFactor(username).map(StaffDirectory.SecondFactor::lastStep).orElse(Long.MIN_VALUE);
        return Math.max(durable, steps.getOrDefault(username, Long.MIN_VALUE));
    }

    /** Claims a step for the account; false when it (or a later one) was used already. */
    synchronized boolean claimStep(String username, long step) {
        if (step <= lastStep(username)) {
            return false;
        }
        steps.put(username, step);
        return true;
    }

    /** Recovery codes claimed but perhaps not yet durable, as indexes. */
    synchronized Set<Integer> claimedRecoveryCodes(String username) {
        Set<Integer> claimed = new HashSet<>(directory.secondFactor(username)
                .map(StaffDirectory.SecondFactor::usedRecoveryCodes).orElse(Set.of()));
        for (String key : recoveryCodes) {
            if (key.startsWith(username + "#")) {
                claimed.add(Integer.parseInt(key.substring(username.length() + 1)));
            }
        }
        return claimed;
    }

    synchronized boolean claimRecoveryCode(String username, int index) {
        return !claimedRecoveryCodes(username).contains(index) && recoveryCodes.add(username + "#" + index);
    }

    /** After a new enrolment the old claims mean nothing. */
    synchronized void forget(String username) {
        steps.remove(username);
        recoveryCodes.removeIf(key -> key.startsWith(username + "#"));
    }
}
