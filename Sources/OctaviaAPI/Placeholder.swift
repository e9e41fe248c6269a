// OctaviaAPI
