print("salesmotion")
