// OctaviaHousekeeping
