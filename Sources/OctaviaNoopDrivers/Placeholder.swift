// OctaviaNoopDrivers
