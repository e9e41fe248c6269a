// OctaviaLocalCerts
