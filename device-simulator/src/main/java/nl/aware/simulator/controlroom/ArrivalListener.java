package nl.aware.simulator.controlroom;

/**
 * Told of every arrival and every lifecycle report. Called on a receiver's route thread or the
 * lifecycle thread: must be quick and must not throw.
 */
public interface ArrivalListener {
    ArrivalListener NONE = new ArrivalListener() {
        @Override
        public void arrived(Arrival arrival) {
        }
    };

    void arrived(Arrival arrival);

    default void reported(CallbackOutcome outcome) {
    }
}
