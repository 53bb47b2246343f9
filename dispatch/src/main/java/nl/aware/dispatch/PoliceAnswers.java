package nl.aware.dispatch;

import nl.aware.dispatch.work.DispatchItem;

/**
 * What a region's dispatcher tells the escalation watch as soon as a police answer arrives, before the
 * outcome is in the log: an escalation must never overtake an answer already received, and a PANIC the
 * police refused as invalid goes to Kadera at once. Called on HTTP client threads; must not block.
 */
interface PoliceAnswers {
    PoliceAnswers NONE = new PoliceAnswers() {
        @Override
        public void accepted(DispatchItem item) {
        }

        @Override
        public void refusedAsInvalid(DispatchItem item, String problem) {
        }
    };

    /** The police answered 2xx for this work. */
    void accepted(DispatchItem item);

    /** The police refused this PANIC work as invalid (a 4xx other than 408/429). */
    void refusedAsInvalid(DispatchItem item, String problem);
}
