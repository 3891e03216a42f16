
app_name = "loops"

urlpatterns: list = []
