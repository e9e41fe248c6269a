// OctaviaWorker
