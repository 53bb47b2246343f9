package nl.aware.dispatch.work;

/**
 * What a police receiver is told about sound with each lifecycle update (docs/police-api.md): whether an
 * operator verified the alert by listening in (Dutch police give a verified alarm top priority), and whether
 * the device's sound was recorded for it. Never the sound itself: the recording is evidence, exported on request.
 *
 * @param verifiedByListening an operator recorded VERIFIED with the outcome "confirmed by listening" (stays true)
 * @param recordingExists     at least one AUDIO frame of the alert is kept in the log
 */
public record ListeningFacts(boolean verifiedByListening, boolean recordingExists) {
    public static final ListeningFacts NONE = new ListeningFacts(false, false);
}
