
app_name = "dues"

urlpatterns: list = []
