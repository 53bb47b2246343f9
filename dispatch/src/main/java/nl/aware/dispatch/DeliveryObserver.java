package nl.aware.dispatch;

import nl.aware.core.event.Region;

/** Told of every police delivery attempt and success, per region: readiness watches it. Must not block. */
public interface DeliveryObserver {
    DeliveryObserver NONE = new DeliveryObserver() {
        @Override
        public void attempted(Region region) {
        }

        @Override
        public void delivered(Region region) {
        }
    };

    void attempted(Region region);

    void delivered(Region region);
}
