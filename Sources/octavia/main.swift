print("octavia")
