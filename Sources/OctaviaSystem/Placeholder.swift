// OctaviaSystem
