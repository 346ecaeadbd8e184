import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './api'
import { setApi } from './api/current'
import './styles.css'

setApi(connectApi())
createApp(App).use(createPinia()).mount('#app')
