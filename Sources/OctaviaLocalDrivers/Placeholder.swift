// OctaviaLocalDrivers
