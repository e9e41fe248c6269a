// OctaviaAmphoraDriver
